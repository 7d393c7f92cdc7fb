"""Object ids that arrive from URLs, forms and API input: a positive 64-bit key, or no id at all."""
MAX_ID = 2**63 - 1


def valid_id(value) -> bool:
    """True for 1 .. 2**63-1 (an int or its digits); anything else can never name a row."""
    text = str(value)
    return text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID
