"""The read-only open-data API: public products, their producers and the certificate registry.

Everything here starts from the same querysets as the public pages (Product.objects.public()),
so what the API shows is exactly what the site shows: never a draft, an uncertified product,
a dossier, a score or a producer's private details.
"""
