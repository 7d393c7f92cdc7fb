"""The referrals section of the family file."""
from oneplan.referrals import selectors


def family_section(request, file) -> dict | None:
    if file.access.membership is None:  # emergency access: which organisations are involved stays hidden
        return None
    return {"referrals": selectors.family_referrals(file.access),
            "can_refer": file.access.can("referral.send")}
