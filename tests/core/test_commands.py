import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oneplan.audit.services import verify
from oneplan.families.models import CareTeamMember, Family, Membership, Person

pytestmark = pytest.mark.django_db


def test_demo_builds_a_municipality_and_a_valid_audit_chain(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "coordinator" in out and "oneplan-demo-2026" in out
    assert Family.objects.count() == 60
    assert CareTeamMember.objects.values("organisation").distinct().count() >= 10
    # Two households share their children: one Person, two memberships.
    assert Person.objects.filter(memberships__family__status="active").count() > 0
    shared = [p for p in Person.objects.all() if p.memberships.count() == 2]
    assert len(shared) == 2
    assert verify().ok


def test_demo_if_empty_leaves_existing_data_alone(capsys):
    call_command("demo")
    call_command("demo", "--if-empty")
    assert "already holds families" in capsys.readouterr().out
    assert Family.objects.count() == 60


def test_demo_refuses_to_run_twice_without_if_empty():
    call_command("demo")
    with pytest.raises(CommandError, match="already holds families"):
        call_command("demo")


def test_generate_creates_families_with_households_and_teams(capsys):
    call_command("generate", "--families", "50")
    assert Family.objects.count() == 50
    assert Membership.objects.count() >= 50
    assert all(f.team.exists() for f in Family.objects.all())
    assert "Generated 50 families" in capsys.readouterr().out


def test_generate_refuses_nonsense_sizes():
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("generate", "--families", "0")


def test_tick_reports_every_job(capsys):
    call_command("demo")
    call_command("tick")
    out = capsys.readouterr().out
    assert "expired sessions" in out
    assert "1 active families have no care coordinator" in out


def test_bench_scenarios_run_on_small_data():
    from oneplan.bench import scenarios as bench
    from oneplan.sampledata.synthetic import generate, generate_consents, generate_plans

    generate(families=30, seed=3)
    generate_plans()
    assert generate_consents(share=1.0) == 30
    results = bench.run(bench.build_context(), requests=3, warmup=1)
    assert [r["name"] for r in results][:3] == ["framework ceiling (/healthz)", "caseload page",
                                                 "family file page"]
    assert all(r["p95"] > 0 for r in results)
    assert {"plan page", "domain-scores chart", "my open actions"} <= {r["name"] for r in results}


def test_demo_prints_every_login_and_writes_them_to_a_file(capsys, settings, tmp_path):
    from pathlib import Path

    from oneplan.sampledata.demo import PROFESSIONALS

    settings.VAR_DIR = tmp_path
    call_command("demo")
    out = capsys.readouterr().out
    for username, *_ in PROFESSIONALS:
        assert f"  {username} " in out
    written = (Path(settings.VAR_DIR) / "demo-logins.txt").read_text()
    assert "schuld2" in written and "family" in written
