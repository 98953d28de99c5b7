"""`fintra models ...`: the registry from the terminal (list, promote) and training by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from fintra.database import database_url
from fintra.lake import Lake
from fintra.settings import Settings, get_settings

if TYPE_CHECKING:
    from models.registry import Promotion, Registry

console = Console()
models_app = typer.Typer(
    help="Risk model and merchant resolution: versions, promotion, training.", no_args_is_help=True
)
KINDS = ("risk", "merchants")


def _registry():  # type: ignore[no-untyped-def]
    from models.registry import Registry

    return Registry(Lake.from_settings())


def _headline(card: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    metrics, baseline = card.get("metrics", {}), card.get("baseline", {})
    if card.get("kind") == "risk":
        return (
            f"PR-AUC {metrics['pr_auc']:.3f}, recall@1%FPR {metrics['recall_at_1pct_fpr']:.3f},"
            f" Brier {metrics['brier']:.4f}",
            f"rules PR-AUC {baseline['pr_auc']:.3f}",
        )
    held_out = card.get("held_out", {}).get("evaluation")
    if held_out is None:  # a version from before the held-out evaluation
        return (
            f"accuracy {metrics['accuracy']:.3f}, coverage {metrics['coverage']:.3f}",
            f"rapidfuzz ratio {baseline['rapidfuzz_ratio']:.3f} (WRatio {baseline['rapidfuzz_wratio']:.3f})",
        )
    return (
        f"held-out brands top-1 {held_out['top1']:.3f}, precision {held_out['precision']:.3f}, unknown"
        f" {held_out['unknown_rate']:.3f}; payments {metrics['accuracy']:.3f}",
        f"WRatio held-out {held_out['rapidfuzz_wratio_top1']:.3f}; payments {baseline['rapidfuzz_wratio']:.3f}",
    )


@models_app.command("list")
def list_cmd(name: Annotated[str | None, typer.Argument(help="risk or merchants (default: all)")] = None) -> None:
    """Every registered version with its status and holdout metrics."""
    if name is not None and name not in KINDS:
        console.print(f"[red]model: {name!r} is not one of {', '.join(KINDS)}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    registry = _registry()
    table = Table("model", "version", "status", "created", "holdout", "baseline", title=registry.lake.uri("models"))
    for model in [name] if name else registry.names():
        for version in registry.list(model):
            mine, theirs = _headline(version.card)
            table.add_row(model, str(version.version), version.status, version.card["created_at"][:19], mine, theirs)
    console.print(table)


@models_app.command("promote")
def promote_cmd(
    name: Annotated[str, typer.Argument(help="risk or merchants")],
    version: Annotated[int, typer.Argument(help="The version to make production")],
    force: Annotated[str | None, typer.Option(help="Promote even if worse, recording this reason")] = None,
) -> None:
    """Make a version production if it is at least as good as the current one on its holdout."""
    from models.registry import RegistryError

    if name not in KINDS:
        raise typer.BadParameter(f"model: {name!r} is not one of {', '.join(KINDS)}")
    registry = _registry()
    settings = get_settings()
    if version not in registry.versions(name):
        known = ", ".join(map(str, registry.versions(name))) or "none (fintra models train)"
        console.print(f"[red]version: {name} has no version {version}; its versions: {known}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    try:
        promotion = _promote(registry, name, version, force, settings)
    except RegistryError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(
        ("[green]promoted[/green]: " if promotion.promoted else "[yellow]not promoted[/yellow]: ") + promotion.reason
    )
    if not promotion.promoted and "already" not in promotion.reason:
        raise typer.Exit(1)


def _promote(registry: Registry, name: str, version: int, force: str | None, settings: Settings) -> Promotion:
    if name == "risk":
        from models.risk.train import METRIC, holdout_score

        return registry.promote(
            "risk", version, lambda v, h: holdout_score(v, h, registry), metric=METRIC, force_reason=force
        )
    from models.merchants.build import promote

    return promote(registry, version, settings, database_url(settings), force_reason=force)


@models_app.command("train")
def train_cmd(name: Annotated[str, typer.Argument(help="risk or merchants")]) -> None:
    """Train a new version now (the features first, for risk) and promote it if it is at least as good."""
    if name not in KINDS:
        raise typer.BadParameter(f"model: {name!r} is not one of {', '.join(KINDS)}")
    settings = get_settings()
    lake, url = Lake.from_settings(settings), database_url(settings)
    if name == "risk":
        from features.offline import build_features
        from models.risk.train import train_risk_model

        with console.status("features of every outgoing transfer"):
            written = build_features(lake)
        console.print(f"features: {sum(w.rows for w in written):,} transfers in {len(written)} daily partitions")
        with console.status("training the risk model"):
            result = train_risk_model(lake, url)
        version, promotion = result.version, result.promotion
    else:
        from models.merchants.build import build_merchant_resolver

        with console.status("exporting the encoder, indexing the catalogue, evaluating"):
            built = build_merchant_resolver(lake, url, settings)
        version, promotion = built.version, built.promotion
    mine, theirs = _headline(version.card)
    console.print(f"{name} v{version.version}: {mine}; baseline {theirs}")
    console.print(("promoted: " if promotion.promoted else "kept as candidate: ") + promotion.reason)


def register(app: typer.Typer) -> None:
    from models.merchants.cli import merchants_app

    app.add_typer(models_app, name="models")
    app.add_typer(merchants_app, name="merchants")
