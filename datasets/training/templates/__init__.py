"""Site templates for the training-corpus builder: farm layouts and clean publisher layouts."""
from __future__ import annotations

from templates import clean_sites, farm_sites, farm_sites2
from templates.base import Template

FARM_TEMPLATES: tuple[Template, ...] = farm_sites.TEMPLATES + farm_sites2.TEMPLATES
CLEAN_TEMPLATES: tuple[Template, ...] = clean_sites.TEMPLATES

__all__ = ["CLEAN_TEMPLATES", "FARM_TEMPLATES", "Template"]
