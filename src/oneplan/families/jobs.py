"""Family-file checks run by `oneplan tick` (registered in FamiliesConfig.ready)."""
from django.db.models import Exists, OuterRef

from oneplan.families.models import CareTeamMember, Family
from oneplan.families.teams import active_team_q


def families_without_coordinator() -> str:
    coordinators = CareTeamMember.objects.filter(active_team_q(), family=OuterRef("pk"),
                                                 role=CareTeamMember.Role.COORDINATOR)
    count = (Family.objects.filter(status__in=[Family.Status.ACTIVE, Family.Status.SCALING_DOWN])
             .exclude(Exists(coordinators)).count())
    return f"{count} active families have no care coordinator"
