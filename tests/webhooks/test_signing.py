"""Standard Webhooks signatures, checked against the spec's reference test vector and an
independent verification."""
import base64

from oneplan.webhooks import signing
from tests.webhooks.helpers import verify


def test_a_new_secret_is_whsec_and_base64_of_24_to_64_random_bytes():
    secret = signing.new_secret()
    raw = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    assert secret.startswith("whsec_") and 24 <= len(raw) <= 64
    assert signing.new_secret() != secret


def test_the_signature_matches_the_reference_libraries_test_vector():
    # From standard-webhooks/libraries (go/webhook_test.go, TestWebhookSign).
    assert signing.signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                             1614265330, b'{"test": 2432232314}') == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_headers_verify_with_an_independent_implementation():
    secret = signing.new_secret()
    body = signing.body({"type": "plan.agreed", "data": {"family": "Group/1"}})
    headers = signing.headers(secret, "msg_abc", 1781599800, body)
    assert verify(secret, headers, body)["data"] == {"family": "Group/1"}


def test_a_changed_body_or_another_secret_does_not_verify():
    secret = signing.new_secret()
    body = signing.body({"a": 1})
    headers = signing.headers(secret, "msg_abc", 1781599800, body)
    for wrong_secret, wrong_body in ((secret, b'{"a":2}'), (signing.new_secret(), body)):
        try:
            verify(wrong_secret, headers, wrong_body)
        except AssertionError:
            continue
        raise AssertionError("a forged call verified")
