"""SOAP target: a WSDL's operations served over SOAP 1.1 and 1.2 by a standalone server."""

from .generator import SoapOptions, generate

__all__ = ["SoapOptions", "generate"]
