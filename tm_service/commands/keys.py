"""`tm keys create|list|revoke`: the API keys that writes (and, when set, reads) need."""
from __future__ import annotations

import click

from memories import repository, service
from memories.models import KEY_SCOPES
from tm_service.commands.common import get_session, tm_command


@click.group("keys", help="Create, list and revoke API keys.")
def keys_group() -> None:
    pass


@keys_group.command("create", help="Create a key and print it once, alone on the last line; only its hash is stored.")
@click.option("--memory", "memory_name", default=None, help="The one memory the key serves (default: every memory).")
@click.option("--scope", type=click.Choice(KEY_SCOPES), required=True, help="read, or write (which also reads).")
@click.option("--label", default="", help="Who or what the key is for.")
@tm_command
def create_key(memory_name: str | None, scope: str, label: str) -> None:
    key, token = service.create_key(get_session(), scope=scope, memory_name=memory_name, label=label)
    click.echo(f"created {scope} key {key.id} for {'memory ' + memory_name if memory_name else 'every memory'}; "
               "it is shown once, keep it now:", err=False)
    click.echo(token)


@keys_group.command("list", help="List the keys (their ids, scopes and memories; never the keys themselves).")
@tm_command
def list_keys() -> None:
    keys = repository.api_keys(get_session())
    if not keys:
        click.echo("no keys")
    for key in keys:
        memory = key.memory.name if key.memory is not None else "*"
        click.echo(f"{key.id}\t{key.scope}\t{memory}\t{key.created_at:%Y-%m-%d}\t{key.label}")


@keys_group.command("revoke", help="Delete a key by its id.")
@click.argument("key_id", type=int)
@tm_command
def revoke_key(key_id: int) -> None:
    service.revoke_key(get_session(), key_id)
    click.echo(f"revoked key {key_id}")


COMMANDS = (keys_group,)
