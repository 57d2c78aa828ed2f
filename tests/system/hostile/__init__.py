"""Hostile input: random and malicious values posted to every form, filter and upload.

Whatever arrives, the answer is never a 500, a refusal says why in words, and a refused
request writes nothing (rows or files).
"""
