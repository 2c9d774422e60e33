"""Users: get by accountId, search, and (for apps allowed to) an e-mail address whatever its visibility."""
from __future__ import annotations

from flask import request

from jirasim import shapes
from jirasim.errors import JiraError, bad_request, not_found
from jirasim.rest.common import caller, int_arg, new_blueprint, ok, site, version


def blueprint():
    """Blueprint of the user endpoints."""
    bp = new_blueprint("users")

    @bp.get("/user")
    def user_get():
        account_id = request.args.get("accountId")
        if not account_id:
            raise bad_request("The accountId query parameter needs to be provided.")
        user = site().user(account_id)
        if user is None:
            raise not_found("Specified user does not exist or you do not have required permissions")
        return ok(shapes.user(site(), user, version(), viewer=caller()))

    @bp.get("/user/search")
    def user_search():
        query = (request.args.get("query") or "").lower()
        account_id = request.args.get("accountId")
        if not query and not account_id:
            raise bad_request("One of 'query' or 'accountId' query parameters must be provided.")
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 50, 1000) or 50
        found = [u for u in site().users.values()
                 if (account_id and u.account_id == account_id)
                 or (query and (query in u.display_name.lower() or (u.email_visible and query in u.email.lower())))]
        return ok([shapes.user(site(), u, version(), viewer=caller()) for u in found[start:start + limit]])

    @bp.get("/user/email")
    def user_email():
        # Connect scope ACCESS_EMAIL_ADDRESSES is checked before this runs; people may not use this API at all.
        if not caller().is_app:
            raise JiraError(401, "This API is only available to apps.")
        account_id = request.args.get("accountId")
        if not account_id:
            raise bad_request("The accountId query parameter needs to be provided.")
        user = site().user(account_id)
        if user is None or user.is_app:
            raise not_found(f"User with accountId '{account_id}' was not found.")
        return ok({"accountId": user.account_id, "email": user.email})

    return bp
