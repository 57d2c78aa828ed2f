"""Officials' bulk import of existing producers, products and certificates (CSV or XLSX).

Plain functions, no HTTP; imports.views is the thin web layer.

* columns  – the file format: column keys, the template's Vietnamese headers, aliases
* reading  – bytes → header and rows of text, or FileRefused with a sentence to act on
* xlsx     – an XLSX's rows, bounded by what it declares before anything is iterated
* refusal  – FileRefused itself
* access   – who may import, as which offices, in which provinces (ImportScope)
* rules    – what an importer may record: its level, stars and unit, before the system,
             no open dossier, its own producers (one plain function per rule)
* validation – rows → Plan: create / update / unchanged per row, every reason of a bad row
* preview  – the upload step: read, refuse a file already imported, validate
* pending  – previewed rows kept on the server until confirmed
* apply    – the confirm step: re-validate and write everything in one transaction
* template – the CSV and XLSX templates, generated from the column list
"""
