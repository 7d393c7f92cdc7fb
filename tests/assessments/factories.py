from oneplan.assessments.loader import load_defaults
from oneplan.assessments.models import Instrument


def life_domains() -> Instrument:
    """The shipped 'Family life domains' instrument (loaded if a flush removed it)."""
    if not Instrument.objects.filter(key="family-life-domains").exists():
        load_defaults()
    return Instrument.objects.filter(key="family-life-domains", is_active=True).get()
