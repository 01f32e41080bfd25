"""A real SMTP server on loopback (aiosmtpd) that counts what it accepts, or refuses; it
offers PIPELINING unless told not to."""

import email
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self, pipelining=True):
        self.received = []  # the Message-ID of every message accepted, in order
        self.refused = 0
        self.refuse_with = None  # e.g. "451 4.3.0 Try again later"
        self.refused_recipients = set()  # addresses refused at RCPT TO
        self.pipelining = pipelining
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.pipelining:
            return responses
        # Offered as Postfix, Exim and the mail services offer it.
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_with:
                self.refused += 1
                return self.refuse_with
            self.received.append(email.message_from_bytes(envelope.content)["Message-ID"])
        return "250 Message accepted for delivery"

    def count(self):
        with self.lock:
            return len(self.received)


def start_sink(pipelining=True):
    sink = Sink(pipelining)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    sink.controller = controller
    return sink


def send_through(settings, port):
    """Point Django's SMTP backend at the server on `port` of loopback."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
