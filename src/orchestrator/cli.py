"""The `orchestrator` command: demo, serve, manage, audit verify, digests, generate, archimate,
decisions."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path


def _var_dir() -> Path:
    path = Path(os.environ.get("ORCHESTRATOR_VAR", Path.cwd() / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        sys.exit(f"orchestrator: configuration error: {exc}")


def _demo_environment() -> None:
    """The demo runs on this machine only: debug on, plain HTTP, a secret key kept in var/."""
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("HTTPS", "false")
    key_file = _var_dir() / "secret_key"
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(64))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY_FILE"] = str(key_file)


def cmd_demo(args: argparse.Namespace) -> int:
    _demo_environment()
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{args.port}")
    _setup()
    from django.core.management import call_command

    from orchestrator.demo import loader

    call_command("migrate", interactive=False, verbosity=0)
    if loader.is_loaded():
        print("The database already holds data; the demo dataset was not loaded again.")
        sign_ins = loader.existing_sign_ins()
        if sign_ins:
            _print_sign_ins(sign_ins)
    else:
        print("Loading the demo dataset …")
        sign_ins = loader.load(progress=lambda msg: print(f"  {msg}"))
        _print_sign_ins(sign_ins)
    if args.no_serve:
        return 0
    print(f"\nServing the demo at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)\n")
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=True)
    return 0


def _print_sign_ins(sign_ins) -> None:
    from orchestrator.demo.loader import DEMO_PASSWORD

    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
    width = max(len(s.role) for s in sign_ins)
    for s in sign_ins:
        print(f"  {s.role:<{width}}  {s.email:<42} {s.name}")


def cmd_serve(args: argparse.Namespace) -> int:
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        sys.exit(
            "orchestrator serve: SECRET_KEY (or SECRET_KEY_FILE) must be set; refusing to start."
        )
    _setup()
    from django.core.management import call_command
    from gunicorn.app.wsgiapp import WSGIApplication

    call_command("collectstatic", interactive=False, verbosity=0)

    sys.argv = [
        "gunicorn",
        "orchestrator.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["orchestrator manage", *args.rest])
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    _setup()
    from orchestrator.core import audit

    started = time.perf_counter()
    result = audit.verify()
    elapsed = time.perf_counter() - started
    if result.ok:
        rate = result.checked / elapsed if elapsed else 0
        print(
            f"The audit chain is intact: {result.checked:,} events verified "
            f"in {elapsed:.2f} s ({rate:,.0f} events/s)."
        )
        return 0
    print(f"The audit chain is broken at seq {result.bad_seq}: {result.reason}.", file=sys.stderr)
    return 1


def cmd_digests(args: argparse.Namespace) -> int:
    """Send every follower the e-mail digest of changes since their last (run it daily, by cron)."""
    _setup()
    from orchestrator.core.following import send_digests

    people = changes = 0
    for _user, n in send_digests():
        people += 1
        changes += n
        if people % 100 == 0:
            print(f"  {people:,} followers …", flush=True)
    print(f"Digests done: {people:,} followers, {changes:,} changes sent.")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    _setup()
    from orchestrator.demo.generate import generate

    generate(scale=args.scale, seed=args.seed)
    return 0


def _archimate_actor(email: str | None):
    """Who an ArchiMate import or export runs as: `--as EMAIL`, else the longest-serving architect."""
    from orchestrator.people.models import Appointment, Role, User

    if email:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            sys.exit(f"orchestrator archimate: there is no user {email}.")
        return user
    appointment = (
        Appointment.objects.current()
        .filter(role=Role.ARCHITECT)
        .select_related("user")
        .order_by("start", "pk")
        .first()
    )
    if appointment is None:
        sys.exit("orchestrator archimate: there is no architect to act as; give --as EMAIL.")
    return appointment.user


def cmd_archimate(args: argparse.Namespace) -> int:
    _setup()
    from orchestrator.architecture.exchange import ExchangeError, export_model, import_file
    from orchestrator.architecture.models import ArchitectureModel
    from orchestrator.core.errors import PermissionDenied, ValidationError
    from orchestrator.people.models import Organisation

    if args.public and args.archimate_command == "import":
        sys.exit("orchestrator archimate import: --public is for export only.")
    actor = None if args.public else _archimate_actor(args.actor)
    started = time.perf_counter()
    try:
        if args.archimate_command == "import":
            owner = None
            if args.owner:
                owner = Organisation.objects.filter(slug=args.owner).first()
                if owner is None:
                    sys.exit(
                        f"orchestrator archimate import: there is no organisation {args.owner}."
                    )
            visibility = None if args.publish == "draft" else args.publish

            shown = [0]

            def progress(done: int, total: int) -> None:
                if done - shown[0] >= 5000 or (done == total and done != shown[0]):
                    shown[0] = done
                    print(f"  {done:,} of {total:,} records …", flush=True)

            result = import_file(
                actor=actor,
                source=args.file,
                owner=owner,
                visibility=visibility,
                rationale=args.rationale,
                progress=progress,
            )
            elapsed = time.perf_counter() - started
            counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in result.counts.items())
            print(
                f"Imported “{result.model.title}” ({result.model.uid}) in {elapsed:.2f} s: {counts}."
            )
            return 0
        model = ArchitectureModel.objects.filter(identifier=args.model).first()
        if model is None:
            sys.exit(f"orchestrator archimate export: there is no model {args.model}.")
        with open(args.file, "wb") as out:
            export_model(user=actor, model=model, out=out)
        print(f"Exported “{model.title}” to {args.file} in {time.perf_counter() - started:.2f} s.")
        return 0
    except (ExchangeError, ValidationError, PermissionDenied) as exc:
        message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        print(f"orchestrator archimate {args.archimate_command}: {message}", file=sys.stderr)
        return 1


def cmd_decisions(args: argparse.Namespace) -> int:
    """Write an architecture decision record (MADR) for each decision taken."""
    _setup()
    from orchestrator.decisions.adr import ExportError, export_adr
    from orchestrator.people.models import User

    user = None
    if args.actor:
        user = User.objects.filter(email__iexact=args.actor).first()
        if user is None:
            print(
                f"orchestrator decisions export-adr: there is no user {args.actor}.",
                file=sys.stderr,
            )
            return 1
    started = time.perf_counter()

    def progress(done: int, total: int, path: Path) -> None:
        if total <= 100 or done % 100 == 0 or done == total:
            print(f"  {done:,} of {total:,}: {path.name}", flush=True)

    try:
        paths = export_adr(user=user, directory=Path(args.directory), progress=progress)
    except (ExportError, OSError) as exc:
        print(f"orchestrator decisions export-adr: {exc}", file=sys.stderr)
        return 1
    who = f"as {user.email} may see them" if user else "as the public may see them"
    records = "record" if len(paths) == 1 else "records"
    print(
        f"Wrote {len(paths):,} architecture decision {records} to {args.directory} ({who}) "
        f"in {time.perf_counter() - started:.2f} s."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orchestrator",
        description="The operating platform of the energy sector's Digitalisation Orchestrator.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, load the demo dataset if empty, and serve it")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="set up and load, then stop")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="the production server (gunicorn) on DATABASE_URL")
    serve.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    serve.set_defaults(func=cmd_serve)

    manage = sub.add_parser("manage", help="Django management commands", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    audit = sub.add_parser("audit", help="the audit chain")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check every event; exit 1 at the first bad one")
    verify.set_defaults(func=cmd_audit)

    digests = sub.add_parser("digests", help="e-mail followers the changes since their last digest")
    digests.set_defaults(func=cmd_digests)

    generate = sub.add_parser("generate", help="generate a synthetic dataset for benchmarks")
    generate.add_argument("--scale", choices=["small", "national"], required=True)
    generate.add_argument("--seed", type=int, default=2026)
    generate.set_defaults(func=cmd_generate)

    archimate = sub.add_parser("archimate", help="ArchiMate exchange files: import and export")
    archimate_sub = archimate.add_subparsers(dest="archimate_command", required=True)
    a_import = archimate_sub.add_parser("import", help="import (or update) a model from FILE")
    a_import.add_argument("file")
    a_import.add_argument("--owner", help="slug of the owner organisation (default: yours)")
    a_import.add_argument(
        "--publish",
        choices=["open", "registered", "restricted", "closed", "draft"],
        default="draft",
        help="leave new records drafts (the default), or triage them at this level and publish "
        "them — which needs a user who may triage (Research & Engagement): --as EMAIL",
    )
    a_import.add_argument("--rationale", default="", help="why, when less than open")
    a_export = archimate_sub.add_parser("export", help="export a model to FILE")
    a_export.add_argument("file")
    a_export.add_argument("--model", required=True, help="the model's exchange identifier")
    a_export.add_argument("--public", action="store_true", help="only what anyone may see")
    for command in (a_import, a_export):
        command.add_argument("--as", dest="actor", help="e-mail of the user to act as")
        command.set_defaults(func=cmd_archimate)
    a_import.set_defaults(public=False)

    decisions = sub.add_parser(
        "decisions", help="decisions taken, as architecture decision records"
    )
    decisions_sub = decisions.add_subparsers(dest="decisions_command", required=True)
    export_adr = decisions_sub.add_parser(
        "export-adr",
        help="write a Markdown architecture decision record (MADR) for each decision taken into "
        "DIR: NNNN-<slug>.md, in the order decided; other files in DIR are kept",
    )
    export_adr.add_argument("directory", metavar="DIR")
    export_adr.add_argument(
        "--as",
        dest="actor",
        help="e-mail of the user whose view to write (default: what the public may see)",
    )
    export_adr.set_defaults(func=cmd_decisions)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
