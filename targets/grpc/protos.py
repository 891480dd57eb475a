"""The Python modules of the protos (``*_pb2.py``, ``*_pb2_grpc.py``), made at
generation time by grpcio-tools from the Api's descriptor set (the ``x-grpc``
extension of the IR), so that the server needs no protoc at run time.

Files of ``google/protobuf/`` are left out: the protobuf package carries them.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from google.protobuf import descriptor_pb2

from mockc.compiler import ir
from mockc.compiler.errors import GenerationError

from ..common import GeneratedFile

__all__ = ["DESCRIPTORS_FILE", "PROTOS_DIR", "descriptor_set", "proto_modules"]

PROTOS_DIR = "protos"
DESCRIPTORS_FILE = f"{PROTOS_DIR}/descriptors.binpb"
_PROVIDED = ("google/protobuf/",)
PROTOC_TIMEOUT_SECONDS = 120.0


def descriptor_set(api: ir.Api) -> descriptor_pb2.FileDescriptorSet:
    """The descriptor set the proto front end put in the Api's ``x-grpc`` extension."""
    found = (api.extensions or {}).get("x-grpc")
    encoded = found.get("descriptor_set") if isinstance(found, Mapping) else None
    if not isinstance(encoded, str) or not encoded:
        raise GenerationError(
            "the gRPC target needs the descriptors of .proto files; generate it from .proto specs"
        )
    return descriptor_pb2.FileDescriptorSet.FromString(base64.b64decode(encoded))


def proto_modules(files: descriptor_pb2.FileDescriptorSet) -> list[GeneratedFile]:
    """``protos/<path>_pb2.py`` and ``_pb2_grpc.py`` for every file of the set."""
    names = [file.name for file in files.file if not file.name.startswith(_PROVIDED)]
    if not names:
        return []
    with tempfile.TemporaryDirectory(prefix="mockc-pb2-") as temp:
        root = Path(temp)
        (root / "set.binpb").write_bytes(files.SerializeToString())
        out = root / "out"
        out.mkdir()
        command = [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            f"--descriptor_set_in={root / 'set.binpb'}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            *names,
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=PROTOC_TIMEOUT_SECONDS, check=False
        )
        if result.returncode != 0:
            raise GenerationError(f"protoc could not write the Python modules: {result.stderr}")
        return [
            GeneratedFile(
                path=f"{PROTOS_DIR}/{path.relative_to(out).as_posix()}",
                content=path.read_bytes(),
            )
            for path in sorted(out.rglob("*.py"))
        ]
