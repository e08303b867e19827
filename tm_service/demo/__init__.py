"""The demo memory: sample releases bundled with the package, aligned and stored by `tm demo`."""
from __future__ import annotations

import logging
from importlib import resources

from sqlalchemy.orm import Session

from memories import repository, service
from memories.errors import NotFound
from tm_service.ingest import IngestReport, ingest_folder

logger = logging.getLogger(__name__)

DEMO_DESCRIPTION = "Sample New Brunswick-style news releases, French and English"


def build_demo(session: Session, memory_name: str) -> IngestReport:
    """Create the demo memory if needed and ingest every bundled release (idempotent)."""
    try:
        repository.memory_by_name(session, memory_name)
    except NotFound:
        service.create_memory(session, memory_name, description=DEMO_DESCRIPTION)
    with resources.as_file(resources.files(__package__) / "releases") as folder:
        report = ingest_folder(session, memory_name, folder, creator="tm demo")
    logger.info("demo memory %s: %s", memory_name, report)
    return report
