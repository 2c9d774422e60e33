"""Sample data: sites with two projects each, three human users and a handful of issues."""
from __future__ import annotations

from jirasim import adf
from jirasim.store import issues as issue_ops
from jirasim.store import screens
from jirasim.store.site import Site
from jirasim.world import World

SAMPLE_ISSUES = [
    ("Set up the build pipeline", "10001", ["infra"]),
    ("Login page shows a blank screen", "10002", ["frontend", "urgent"]),
    ("As a user I can export my data", "10003", []),
]


def populate(site: Site) -> None:
    """Fill an empty site: users Alice Admin, Pat Project, Dev Eloper; projects {SITE} and SUP; issues."""
    domain = f"{site.name}.example.com"
    alice = site.add_user("alice", "Alice Admin", f"alice@{domain}", global_permissions=("ADMINISTER",))
    pat = site.add_user("pat", "Pat Project", f"pat@{domain}")
    dev = site.add_user("dev", "Dev Eloper", f"dev@{domain}", email_visible=False)
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
    screens.remove_field(support, "edit", next(f.id for f in site.fields.values() if f.name == "Release Notes"))
    for project in (main, support):
        for summary, type_id, labels in SAMPLE_ISSUES:
            issue_ops.create_issue(site, dev, {"fields": {
                "project": {"key": project.key}, "summary": summary, "issuetype": {"id": type_id},
                "labels": labels, "description": adf.from_text(f"{summary}.\nCreated as sample data.")}}, "3")
    del alice


def sample_world(site_names=("acme", "globex"), base_url: str = "http://localhost:8080") -> World:
    """A World with one populated site per name."""
    world = World(base_url, populate=populate)
    for name in site_names:
        world.add_site(name)
    return world


def credentials(site: Site) -> list[tuple[str, str, str]]:
    """(display name, email, accountId) of the site's human users."""
    return [(u.display_name, u.email, u.account_id) for u in site.users.values() if not u.is_app]
