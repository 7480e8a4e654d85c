"""Who may do what in the partner network (issue 5 §7).

Coordinators (second line), the director and administrators read and write everything here.
Counsellors only read the operators' offer (the offer search, its export, and the offer and operator
endpoints of the API). Commune agents see nothing of the network. Nothing here is tied to an office:
the network is shared by the whole centre, so there is no "other scope" answering 404.
"""


def works_on_network(user) -> bool:
    """Coordinators, the director and administrators: read and write every page of the network."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_coordinator or user.is_director or user.is_administrator)
    )


def reads_offer(user) -> bool:
    """Who may look up the operators' offer to orient a person: the network staff and counsellors."""
    return works_on_network(user) or bool(user.is_authenticated and user.is_active and user.is_counsellor)
