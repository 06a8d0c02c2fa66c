"""Every local connector runs a tool call the same way: by slug, under its lock, failures as envelopes."""

import threading

from tools.sources.connector import LocalConnector
from tools.sources.drive.local import LocalDrive
from tools.sources.paging import BadPageToken


class Flaky(LocalConnector):
    label = "the flaky source"
    plain_errors = (BadPageToken,)

    def __init__(self):
        self._lock = threading.RLock()
        self.seen: list[dict] = []

    def handlers(self):
        return {"ECHO": self.echo, "PAGE": self.bad_page, "MISSING": self.missing, "BUG": self.bug}

    def echo(self, args):
        self.seen.append(args)
        return {"successful": True, "data": args, "error": None}

    def bad_page(self, _args):
        raise BadPageToken("page token 'x' is not one this source gave out")

    def missing(self, _args):
        raise FileNotFoundError("no such file: a.txt")

    def bug(self, _args):
        raise KeyError("id")


def test_each_failure_kind_becomes_an_error_envelope_naming_the_call():
    box = Flaky()
    assert box.execute("ECHO", None) == {"successful": True, "data": {}, "error": None}
    assert box.execute("PAGE", {})["error"] == "page token 'x' is not one this source gave out"
    assert box.execute("MISSING", {})["error"] == "MISSING: no such file: a.txt"
    assert box.execute("BUG", {})["error"] == "BUG: KeyError: 'id'"
    assert box.execute("OTHER", {}) == {
        "successful": False,
        "data": {},
        "error": "OTHER is not available for the flaky source",
    }


def test_the_handler_gets_a_copy_of_the_arguments():
    box, args = Flaky(), {"q": "x"}
    box.execute("ECHO", args)
    box.seen[0]["q"] = "changed"
    assert args == {"q": "x"}


def test_a_real_connector_refuses_a_slug_it_does_not_serve(tmp_path):
    drive = LocalDrive(tmp_path, downloads=None)
    assert drive.execute("GMAIL_FETCH_EMAILS", {})["error"] == "GMAIL_FETCH_EMAILS is not available for the local Drive"
