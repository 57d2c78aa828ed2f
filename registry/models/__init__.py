from registry.models.catalog import ProductGroup, ProductSet
from registry.models.producers import Producer
from registry.models.products import (
    EvidenceDocument,
    IntellectualPropertyTitle,
    Product,
    ProductPhoto,
    QualityPaper,
)
from registry.models.sales import SalesPoint
from registry.models.units import AdministrativeUnit

__all__ = [
    "AdministrativeUnit",
    "EvidenceDocument",
    "IntellectualPropertyTitle",
    "Producer",
    "Product",
    "ProductGroup",
    "ProductPhoto",
    "ProductSet",
    "QualityPaper",
    "SalesPoint",
]
