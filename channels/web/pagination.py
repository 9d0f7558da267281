"""Seed 004's list envelope: {"data": [...], "pagination": {"page", "limit", "total", "pages"}}."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

ItemT = TypeVar("ItemT")
MAX_LIMIT = 200


class Pagination(BaseModel):
    page: int = Field(ge=1)
    limit: int = Field(ge=1, le=MAX_LIMIT)
    total: int = Field(ge=0, description="items matching, over all pages")
    pages: int = Field(ge=0)


class Page(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    pagination: Pagination


@dataclass(frozen=True, slots=True)
class PageParams:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def envelope(self, items: Sequence[ItemT], total: int) -> Page[ItemT]:
        """Wrap one page of items that the caller already cut (set-based lists)."""
        pages = math.ceil(total / self.limit) if total else 0
        return Page[ItemT](
            data=list(items), pagination=Pagination(page=self.page, limit=self.limit, total=total, pages=pages)
        )

    def cut(self, items: Sequence[ItemT]) -> Page[ItemT]:
        """Page a list a service returns whole (lists bounded by one client: activities, contacts, notes)."""
        return self.envelope(items[self.offset : self.offset + self.limit], len(items))


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 25,
) -> PageParams:
    return PageParams(page=page, limit=limit)


PageDep = Annotated[PageParams, Depends(page_params)]
