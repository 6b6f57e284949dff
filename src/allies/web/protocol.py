"""The HTTP protocol `allies serve` runs: uvicorn's httptools protocol with limits on the
request head, and the server's own error answers in the JSON error shape with the security
headers.

uvicorn answers some requests itself, before the app sees them: a malformed request gets a
plain-text 400. Here such answers are ``{"ok": false, "status": N, "error": "..."}`` with the
same security headers as every other answer, and a request line plus headers over
`MAX_HEAD` bytes, or with more than `MAX_HEAD_FIELDS` header fields, is refused with a 431
as soon as that much has arrived (httptools alone would buffer a 100 MB header).
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .errors import MAX_HEADERS, SECURITY_HEADERS, error_body

MAX_HEAD = 16 * 1024  # bytes of request line + headers (h11's default limit)
MAX_HEAD_FIELDS = MAX_HEADERS
STATUS_LINES = {
    400: b"HTTP/1.1 400 Bad Request\r\n",
    431: b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
}


class HeadTooLarge(Exception):
    pass


def error_bytes(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 error response (the connection is closed after it)."""
    import json

    body = json.dumps(error_body(status, message)).encode("utf-8")
    head = [STATUS_LINES[status]]
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
        *SECURITY_HEADERS,
    ]
    head += [name + b": " + value + b"\r\n" for name, value in headers]
    return b"".join(head) + b"\r\n" + body


class GuardedHttpTools(HttpToolsProtocol):
    """HttpToolsProtocol with a cap on the request head and JSON error answers."""

    _head_bytes = 0
    _in_head = True
    _fields = 0
    _too_large = ""
    _pending = 0
    _ended = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._fields = True, 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._fields += 1
        if self._fields > MAX_HEAD_FIELDS:
            self._too_large = f"more than {MAX_HEAD_FIELDS} header fields; send fewer"
            raise HeadTooLarge()
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        size = len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
        if size > MAX_HEAD:  # the whole head came in one piece
            self._too_large = self._head_message()
            raise HeadTooLarge()
        super().on_headers_complete()  # may fail on an overlong URL: still in the head then
        self._in_head, self._head_bytes = False, 0

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes, self._ended = True, 0, True

    def data_received(self, data: bytes) -> None:
        self._pending, self._ended = len(data), False
        super().data_received(data)
        self._pending = 0
        # a head still arriving (not the rest of a chunk that ended a request): count it
        if self._in_head and not self._ended and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD:
                self._refuse_head()

    def _head_message(self) -> str:
        return (
            f"request line and headers are over {MAX_HEAD // 1024} KB; send a shorter URL "
            "or fewer headers"
        )

    def _refuse_head(self) -> None:
        self._too_large = self._head_message()
        self.send_400_response("")

    def send_400_response(self, msg: str) -> None:
        if self.transport.is_closing():
            return
        head = self._head_bytes + (0 if self._ended else self._pending)
        if not self._too_large and self._in_head and head > MAX_HEAD:
            self._too_large = self._head_message()  # the parser gave up on a long head
        if self._too_large:
            out = error_bytes(431, self._too_large)
        else:
            out = error_bytes(400, "malformed HTTP request; send a valid HTTP/1.1 request")
        self.transport.write(out)
        self.transport.close()

