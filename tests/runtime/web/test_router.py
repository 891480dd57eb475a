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


def _first_template(
    routes: list[tuple[str, str, str]], method: str, path: str
) -> tuple[str, dict[str, str]] | None:
    """What routing means, by brute force: the first template, most specific
    first, whose own regex matches ``path`` and that has ``method``."""
    import re

    from mockc.runtime.web.router import _segment_pattern, _specificity

    for template in sorted({t for _, t, _ in routes if "{" in t}, key=_specificity):
        pattern, names = _segment_pattern(template)
        found = re.match(f"^{pattern}$", path)
        targets = {m: target for m, t, target in routes if t == template}
        if found is not None and method in targets:
            return targets[method], dict(zip(names, found.groups(), strict=True))
    return None


def test_templates_of_every_depth_route_as_brute_force_says() -> None:
    # Templates are grouped by their number of slashes, each group one regex
    # compiled when a path of its kind is first routed.
    routes = [
        *ROUTES,
        ("GET", "/repos/{owner}/{repo}", "repo"),
        ("GET", "/repos/{owner}/{repo}/compare/{base}...{head}", "compare"),
        ("GET", "/repos/{owner}/{repo}/pulls/{number}", "pull"),
        ("POST", "/repos/{owner}/{repo}/pulls/{number}", "pull-update"),
        ("GET", "/repos/{owner}/{name}/pulls/{id}", "pull-by-name"),
        ("PUT", "/repos/{owner}/{name}/pulls/{id}", "pull-put"),
        ("GET", "/{a}/{b}/{c}/{d}/{e}", "deep"),
        ("GET", "/v{version}/items/{id}.json", "versioned"),
    ]
    routed = Router(routes)
    paths = [
        "/repos/octo/hello",
        "/repos/octo/hello/compare/main...dev",
        "/repos/octo/hello/compare/a...b...c",
        "/repos/octo/hello/pulls/7",
        "/repos/o%2Fx/hello/pulls/7",
        "/x/y/z/w/v",
        "/v2/items/9.json",
        "/pets/3/photo",
        "/cats/3/photo",
    ]
    for path in paths:
        for method in ("GET", "POST", "PUT"):
            found = routed.match(method, path)
            expected = _first_template(routes, method, path)
            if expected is None:
                assert not isinstance(found, Match), (method, path, found)
            else:
                assert isinstance(found, Match), (method, path, found)
                params = {name: value.replace("%2F", "/") for name, value in expected[1].items()}
                assert (found.target, found.params) == (expected[0], params), (method, path)
