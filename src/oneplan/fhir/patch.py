"""JSON Patch (RFC 6902) on a resource: add, replace, remove and test, with JSON Pointers
(RFC 6901). Enough for a client that patches a Task's status; errors are FHIR answers."""
import copy

from oneplan.fhir.http import FhirError

OPERATIONS = ("add", "replace", "remove", "test")


def _tokens(pointer) -> list[str]:
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise FhirError(400, "invalid", f"A JSON Patch path is a JSON Pointer starting with '/': not {pointer!r}.")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(document, tokens: list[str], path: str):
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise FhirError(422, "processing", f"JSON Patch path {path!r} does not exist in the resource.")
    return node


def apply(document: dict, operations) -> dict:
    """The document after the operations, or FhirError; the original is not changed."""
    if not isinstance(operations, list) or not operations:
        raise FhirError(400, "invalid", "A JSON Patch is a non-empty JSON array of operations.")
    document = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict) or operation.get("op") not in OPERATIONS:
            raise FhirError(400, "invalid", f"Each JSON Patch operation has an op out of {', '.join(OPERATIONS)}.")
        op, path = operation["op"], operation.get("path")
        tokens = _tokens(path)
        parent, key = _parent(document, tokens, path), tokens[-1]
        if op in ("add", "replace", "test") and "value" not in operation:
            raise FhirError(400, "invalid", f"The {op} operation at {path!r} needs a value.")
        if isinstance(parent, list):
            index = len(parent) if key == "-" and op == "add" else int(key) if key.isdigit() else -1
            if not 0 <= index <= len(parent) - (0 if op == "add" else 1):
                raise FhirError(422, "processing", f"JSON Patch path {path!r} is outside the list.")
            if op == "add":
                parent.insert(index, operation["value"])
            elif op == "replace":
                parent[index] = operation["value"]
            elif op == "remove":
                del parent[index]
            elif parent[index] != operation["value"]:
                raise FhirError(422, "processing", f"JSON Patch test failed at {path!r}.")
        elif isinstance(parent, dict):
            if op in ("replace", "remove", "test") and key not in parent:
                raise FhirError(422, "processing", f"JSON Patch path {path!r} does not exist in the resource.")
            if op in ("add", "replace"):
                parent[key] = operation["value"]
            elif op == "remove":
                del parent[key]
            elif parent[key] != operation["value"]:
                raise FhirError(422, "processing", f"JSON Patch test failed at {path!r}.")
        else:
            raise FhirError(422, "processing", f"JSON Patch path {path!r} does not exist in the resource.")
    return document
