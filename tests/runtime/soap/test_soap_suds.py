"""A second, independent SOAP client (suds-community) calls every operation of
a corpus service (oorsprong-countryinfo) beside zeep: both accept the answers
and read the same values."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import zeep
from suds.client import Client as SudsClient
from suds.sudsobject import asdict

from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, binding_operations, generate, minimal_arguments

WSDL = CORPUS / "oorsprong-countryinfo" / "CountryInfoService.wsdl"
ADDRESS = "/websamples.countryinfo/CountryInfoService.wso"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(WSDL, tmp_path_factory.mktemp("countryinfo"))
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def _plain(value: Any) -> Any:
    """A client's answer as plain data with text leaves (suds objects, zeep
    objects, lists)."""
    if hasattr(value, "__keylist__"):  # a suds object
        return _plain(asdict(value))
    if isinstance(value, dict):
        data = {key: _plain(item) for key, item in value.items() if item not in (None, "")}
        if len(data) == 1:  # suds keeps an array's wrapper, zeep unwraps it
            [only] = data.values()
            if isinstance(only, list):
                return only
        return data
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "__values__"):  # a zeep object
        return _plain(dict(value.__values__))
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def test_suds_and_zeep_accept_every_answer_and_read_the_same_values(
    server: ServerProcess,
) -> None:
    url = f"{server.url}{ADDRESS}?wsdl"
    suds = SudsClient(url, cache=None)
    wsdl = zeep.Client(url)
    operations = binding_operations(wsdl, "CountryInfoService", "CountryInfoServiceSoap")
    assert len(operations) == 21
    for name, operation in operations.items():
        arguments = minimal_arguments(operation)
        by_suds = getattr(suds.service, name)(**arguments)
        by_zeep = getattr(wsdl.service, name)(**arguments)
        assert by_suds is not None, name
        assert _plain(by_suds) == _plain(by_zeep), name
