"""Sample data: sites with two projects each, people (some on every site, some on one) and a handful of issues.

Alice, Pat and Dev work for Acme and have one Atlassian account each, so they appear on every sample site
with the same accountId and e-mail address. Quinn is only on acme and Gina only on globex. Dev's and Gina's
e-mail addresses are hidden. Each person has a time zone of their own.

Sites differ in ids (see `Site.id_offset`) and globex also names things its own way (`FLAVOURS`): "Bug" is
"Defect" there, "Done" is "Closed", the Platforms option "iOS" is spelled "IOS", and Defects follow a
workflow with an extra "In Review" status.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from jirasim import adf
from jirasim.store import issues as issue_ops
from jirasim.store import screens
from jirasim.store.defaults import CATEGORIES, DEFAULT_WORKFLOW
from jirasim.store.entities import Transition, Workflow
from jirasim.store.site import Site
from jirasim.world import World

SAMPLE_ISSUES = [
    ("Set up the build pipeline", "Task", ["infra"]),
    ("Login page shows a blank screen", "Bug", ["frontend", "urgent"]),
    ("As a user I can export my data", "Story", []),
]
# Each sample project its own work (the same types and labels as SAMPLE_ISSUES, in order), so that synced copies
# are told apart at a glance; a site or project not named here gets SAMPLE_ISSUES' summaries.
SAMPLE_SUMMARIES = {
    ("acme", "SUP"): ("Answer the backlog of support tickets", "Password reset mail never arrives",
                      "As an agent I can see a customer's last orders"),
    ("globex", "main"): ("Move the nightly jobs to the new scheduler", "Checkout rounds prices the wrong way",
                         "As a buyer I can save a cart for later"),
    ("globex", "SUP"): ("Write the on-call handbook", "Invoices show last month's address",
                        "As an agent I can merge duplicate tickets"),
}


@dataclass(frozen=True)
class Person:
    """A person with one Atlassian account (one accountId and e-mail address on every site they are on)."""
    handle: str
    display_name: str
    email: str
    time_zone: str
    email_visible: bool = True
    admin: bool = False


EVERYWHERE = (
    Person("alice", "Alice Admin", "alice@acme.example.com", "Europe/Paris", admin=True),
    Person("pat", "Pat Project", "pat@acme.example.com", "America/New_York"),
    Person("dev", "Dev Eloper", "dev@acme.example.com", "Asia/Kolkata", email_visible=False),
)
ONLY_ON = {
    "acme": (Person("quinn", "Quinn Quality", "quinn@acme.example.com", "Europe/London"),),
    "globex": (Person("gina", "Gina Globex", "gina@globex.example.com", "Australia/Sydney", email_visible=False),),
}


@dataclass(frozen=True)
class Flavour:
    """How a site names its configuration differently from the defaults."""
    issue_types: dict = field(default_factory=dict)  # default name -> this site's name
    statuses: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # (field name, default value) -> this site's value
    review_workflow_for: str | None = None  # default name of an issue type whose workflow has a review step

    def type_name(self, default_name: str) -> str:
        """This site's name of a default issue type."""
        return self.issue_types.get(default_name, default_name)


FLAVOURS = {"globex": Flavour(issue_types={"Bug": "Defect"}, statuses={"Done": "Closed"},
                              options={("Platforms", "iOS"): "IOS"}, review_workflow_for="Bug")}


def _rename(site: Site, flavour: Flavour) -> None:
    for issue_type in site.issue_types.values():
        issue_type.name = flavour.issue_types.get(issue_type.name, issue_type.name)
    for status in site.statuses.values():
        status.name = flavour.statuses.get(status.name, status.name)
    for fdef in site.fields.values():
        fdef.options = [(i, flavour.options.get((fdef.name, value), value)) for i, value in fdef.options]


def _review_workflow(site: Site, default_type_name: str) -> None:
    todo, progress, done = site.workflows[DEFAULT_WORKFLOW].status_ids
    review = site.add_status("In Review", CATEGORIES["indeterminate"])
    type_id = site.issue_type(default_type_name).id
    site.add_workflow(Workflow(f"{site.issue_types[type_id].name} Workflow", (todo, progress, review.id, done), [
        Transition("21", "Start Progress", progress, (todo,)),
        Transition("51", "Request Review", review.id, (progress,)),
        Transition("31", "Close", done, (review.id,)),
        Transition("11", "Reopen", todo, (done, progress, review.id))]), [type_id])


def populate(site: Site) -> None:
    """Fill an empty site: its people, projects {SITE} and SUP with components, versions and issues."""
    flavour = FLAVOURS.get(site.name, Flavour())
    _rename(site, flavour)
    if flavour.review_workflow_for:
        _review_workflow(site, flavour.type_name(flavour.review_workflow_for))
    people = {person.handle: site.add_user(person.handle, person.display_name, person.email,
                                           email_visible=person.email_visible, time_zone=person.time_zone,
                                           global_permissions=("ADMINISTER",) if person.admin else ())
              for person in EVERYWHERE + ONLY_ON.get(site.name, ())}
    pat, dev = people["pat"], people["dev"]
    main_key = "".join(ch for ch in site.name.upper() if ch.isalnum())[:10] or "MAIN"
    if not main_key[0].isalpha():
        main_key = "P" + main_key[:9]
    main = site.add_project(main_key, f"{site.name.title()} Product", lead=pat, admins=(pat,))
    support = site.add_project("SUP", f"{site.name.title()} Support", lead=pat, admins=(pat,))
    for project in (main, support):
        site.add_component(project, "Backend")
        site.add_component(project, "Frontend")
        site.add_version(project, "1.0", released=True)
        site.add_version(project, "2.0")
    screens.remove_field(support, "edit", next(field.id for field in site.fields.values()
                                                if field.name == "Release Notes"))
    for project, kind in ((main, "main"), (support, "SUP")):
        summaries = SAMPLE_SUMMARIES.get((site.name, kind)) or [summary for summary, _, _ in SAMPLE_ISSUES]
        for summary, (_, type_name, labels) in zip(summaries, SAMPLE_ISSUES, strict=True):
            issue_ops.create_issue(site, dev, {"fields": {
                "project": {"key": project.key}, "summary": summary,
                "issuetype": {"id": site.issue_type(flavour.type_name(type_name)).id},
                "labels": labels, "description": adf.from_text(f"{summary}.\nCreated as sample data.")}}, "3")


def sample_world(site_names=("acme", "globex"), base_url: str = "http://localhost:8080") -> World:
    """A World with one populated site per name."""
    world = World(base_url, populate=populate)
    for name in site_names:
        world.add_site(name)
    return world


def credentials(site: Site) -> list[tuple[str, str, str]]:
    """(display name, email, accountId) of the site's human users."""
    return [(user.display_name, user.email, user.account_id) for user in site.users.values() if not user.is_app]
