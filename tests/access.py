"""One URL tried as each role of a list, its statuses compared with what is expected."""

from django.urls import reverse


def access_checker(client, people, program_people, roles):
    """A `check(url, expected, method="get", data=None)` that signs in as each role in
    `roles` (a program role first, else a district role), asks for the URL and compares
    the statuses; anonymous visitors are always sent to sign in."""

    def check(url, expected, method="get", data=None):
        seen = {}
        for role in roles:
            client.logout()
            if role != "anonymous":
                client.force_login(getattr(program_people, role, None) or getattr(people, role))
            response = getattr(client, method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login")), response.url
        assert seen == {**expected, "anonymous": 302}, (url, seen)
        return seen

    return check
