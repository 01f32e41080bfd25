import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

from mentorship.management.commands import makemessages
from tests import factories

SPANISH = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def test_a_teacher_who_prefers_spanish_gets_the_home_page_in_spanish(client, db):
    user = factories.teacher(factories.SchoolFactory(), user__preferred_language="es")
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Su perfil" in page
    assert "Editar mi perfil" in page
    assert "Your profile" not in page


def test_the_sign_in_page_follows_the_browser_language(client, db):
    response = client.get("/accounts/login/", headers={"accept-language": "es"})

    assert response.status_code == 200
    assert ("Las cuentas se crean a partir de una invitación enviada por su distrito o "
            "escuela.") in response.content.decode()


def _po_entries(path):
    """(msgid, [msgstr, ...], flags) for each entry of a .po file but its header."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        flags, fields, key = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif not line.startswith("#"):
                match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$',
                                 line)
                if match:
                    key = match.group(1)
                    fields[key] = ""
                    line = match.group(2)
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            # A compiled catalogue keys a message with a context as "context\x04message".
            key = (f"{fields['msgctxt']}\x04{fields['msgid']}" if "msgctxt" in fields
                   else fields["msgid"])
            entries.append((key,
                            [v for k, v in fields.items() if k.startswith("msgstr")], flags))
    return entries


def test_the_spanish_catalogue_is_complete_and_compiled():
    # After adding strings, run `make messages`, translate, and run it again.
    entries = _po_entries(SPANISH / "django.po")
    with open(SPANISH / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog

    assert entries
    for msgid, msgstrs, flags in entries:
        assert "fuzzy" not in flags, msgid
        assert all(msgstrs), msgid
        assert (msgid in compiled or (msgid, 0) in compiled), f"not compiled: {msgid}"


def test_every_message_of_the_email_templates_is_in_the_spanish_catalogue():
    # The email templates are Jinja2: makemessages reads them with Babel's extractor.
    with open(SPANISH / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    messages = list(makemessages.jinja2_messages())

    assert len(messages) > 100
    for message, path, line in messages:
        msgid = message if isinstance(message, str) else message[0]
        assert msgid in compiled or (msgid, 0) in compiled, f"{path}:{line}"
