/** The short verification procedure shipped in every evidence package as `VERIFY.txt`. */
export const VERIFY_PROCEDURE = `How to verify this evidence package (Dialward evidence format 1)
=================================================================

With Dialward (no data directory needed):

    dialward evidence verify THIS-FILE.zip [--public-key public-key.pem] [--checkpoints audit-checkpoints.jsonl]

By hand (OpenSSL 3, sha256sum, Python 3; details in docs/reference/audit.md):

1. Key. Compare the SHA-256 fingerprint of public-key.pem's raw key (manifest.json
   "signingKey.publicKeySha256") with the fingerprint the operator published
   ("dialward keys list"). Everything below is only as good as this comparison.
2. Manifest signature:
       base64 -d manifest.sig > manifest.sig.bin
       openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig.bin
3. Files: for every entry of manifest.json "files", sha256sum PATH must print its "sha256";
   the package must hold no other file (besides manifest.json and manifest.sig).
4. Checkpoint (checkpoint.txt, a C2SP signed note): the body is the text up to and including
   the fourth newline; the signature line is "— ORIGIN BASE64", whose decoded bytes are a 4-byte
   key id followed by the 64-byte Ed25519 signature over the body. Verify it with openssl as in 2.
   Its second line is the tree size, its third the base64 root hash.
5. Audit entries (evidence.json "audit"): leaf hash = SHA-256(0x00 || UTF-8 of "canonical");
   "canonical" must be the sorted-key JSON of the entry's fields plus "v":1; recompute the root
   from the leaf hash and "inclusionProof" with the RFC 9162 section 2.1.3.2 algorithm, and
   compare it with the checkpoint root.
6. Facts: each consent event, do-not-call entry, reassigned check, decision and call names an
   "auditSeq"; that entry's data names the fact's id and repeats its key fields. Each disclosure
   text's SHA-256 (also in disclosures/SHA256.txt) equals the recorded hash.
7. Optional: the operator's off-machine checkpoint file (audit-checkpoints.jsonl) should hold a
   line with the same size and root as checkpoint.txt.
`
