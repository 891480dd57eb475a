from mockc.runtime.web.router import Match, MethodNotAllowed, NoRoute, Router

ROUTES = [
    ("GET", "/pets", "list"),
    ("POST", "/pets", "create"),
    ("GET", "/pets/{id}", "get"),
    ("DELETE", "/pets/{id}", "delete"),
    ("GET", "/pets/mine", "mine"),
    ("POST", "/pets/{id}/photo", "photo"),
    ("GET", "/{kind}/{id}/photo", "generic"),
    ("PUT", "/files/{name}", "file"),
]
router = Router(ROUTES)


def target(method: str, path: str) -> object:
    found = router.match(method, path)
    assert isinstance(found, Match), found
    return found.target, found.params


def test_static_paths_and_templates() -> None:
    assert target("GET", "/pets") == ("list", {})
    assert target("GET", "/pets/42") == ("get", {"id": "42"})
    assert target("DELETE", "/pets/42") == ("delete", {"id": "42"})


def test_static_segment_beats_template_in_either_order() -> None:
    assert target("GET", "/pets/mine") == ("mine", {})
    reversed_router = Router(list(reversed(ROUTES)))
    found = reversed_router.match("GET", "/pets/mine")
    assert isinstance(found, Match) and found.target == "mine"


def test_a_less_specific_template_answers_when_the_specific_lacks_the_method() -> None:
    assert target("POST", "/pets/1/photo") == ("photo", {"id": "1"})
    assert target("GET", "/pets/1/photo") == ("generic", {"kind": "pets", "id": "1"})
    assert target("DELETE", "/pets/mine") == ("delete", {"id": "mine"})


def test_wrong_method_lists_allowed_methods() -> None:
    found = router.match("PATCH", "/pets/1")
    assert found == MethodNotAllowed(("DELETE", "GET", "HEAD"))
    assert router.match("PATCH", "/pets") == MethodNotAllowed(("GET", "HEAD", "POST"))


def test_trailing_slash_and_percent_decoding() -> None:
    assert target("GET", "/pets/") == ("list", {})
    assert target("PUT", "/files/a%2Fb%20c") == ("file", {"name": "a/b c"})


def test_unknown_path_suggests_closest_templates() -> None:
    found = router.match("GET", "/petz")
    assert isinstance(found, NoRoute)
    assert found.closest[0] == "/pets"
    assert Router([]).match("GET", "/x") == NoRoute(())
