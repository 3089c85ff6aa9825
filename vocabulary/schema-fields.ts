/**
 * Checked field types the stack config schema (components/config) and the vocabulary's own
 * schemas share.
 */
import { z } from "zod";

/** A name of lower-case letters, digits and hyphens (2-32 characters), as namespaces and pools take. */
export const name = z
    .string()
    .regex(
        /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
        "must be lower-case letters, digits and hyphens (2-32 characters)",
    );

/** A whole number between `min` and `max`, both included. */
export const int = (min: number, max: number) => z.number().int("must be a whole number").min(min).max(max);
