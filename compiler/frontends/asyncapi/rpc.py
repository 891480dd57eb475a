"""RabbitMQ's request/reply pattern written without a 3.0 ``reply``.

AsyncAPI 2.x (and 3.0 documents that keep the 2.x style) write an AMQP RPC
server as two operations: it *receives* requests on a queue (``rpc_queue``)
and *sends* each result to a queue whose name is a parameter (``{queue}``:
the client's reply queue, named by the broker and given as the request's
``reply_to``), both messages carrying their correlation id at the same
place. Such a pair becomes one request/reply operation: the receive gets a
:class:`~mockc.compiler.ir.ChannelReply` naming the send operation, and the
send's messages as its outputs, as a 3.0 ``reply`` would. The send operation
stays as it is (it can still be emitted on its own).
"""

from __future__ import annotations

import dataclasses
import re

from ... import ir

__all__ = ["paired_replies"]

_ONE_PARAMETER = re.compile(r"\{[^{}]+\}")


def paired_replies(operations: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
    """``operations`` with each AMQP RPC pair (see the module) made request/reply."""
    replies = [op for op in operations if _is_reply_queue_send(op)]
    return tuple(_paired(op, replies) for op in operations)


def _paired(operation: ir.Operation, replies: list[ir.Operation]) -> ir.Operation:
    binding = operation.binding
    if not (
        isinstance(binding, ir.ChannelBinding)
        and binding.protocol == "amqp"
        and binding.action == "receive"
        and binding.reply is None
        and operation.input is not None
        and operation.input.correlation_id
    ):
        return operation
    location = operation.input.correlation_id
    matching = [
        reply
        for reply in replies
        if reply.outputs
        and all(output.message.correlation_id == location for output in reply.outputs)
    ]
    if len(matching) != 1:
        return operation
    (reply,) = matching
    return dataclasses.replace(
        operation,
        shape=ir.Shape.UNARY,
        outputs=reply.outputs,
        binding=dataclasses.replace(binding, reply=ir.ChannelReply(operation=reply.id)),
    )


def _is_reply_queue_send(operation: ir.Operation) -> bool:
    """An AMQP send to a queue the broker names (the address is one parameter)."""
    binding = operation.binding
    return (
        isinstance(binding, ir.ChannelBinding)
        and binding.protocol == "amqp"
        and binding.action == "send"
        and _ONE_PARAMETER.fullmatch(binding.channel) is not None
    )
