from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from core.downloads import private_file_response
from evaluation.access import products_visible_to
from registry.models import EvidenceDocument


@never_cache
@login_required
def evidence_download(request, pk):
    """A product's evidence paper, for those who may open the product outside the public
    catalogue (evaluation.access.products_visible_to, the scope of the product admin).
    PrivateStorage gives its files no URL, so this is the only way out for them; outside
    that scope the paper is a 404, as a dossier's documents are."""
    evidence = get_object_or_404(
        EvidenceDocument.objects.filter(product__in=products_visible_to(request.user).values("pk")),
        pk=pk,
    )
    return private_file_response(evidence.file, evidence.title)
