// Retention programmes with randomised control groups: a set of retention offers (the offers that
// name the programme) whose eligible customers are split, before any contact, into a treated group
// that may be offered them and a control group held out of them, so their effect can be measured.
import { z } from 'zod';

/**
 * The ethical limits: a customer with one of these is never held out, whatever the draw says.
 * recent_complaint: a complaint in the last 30 days; network_fault: a network fault in the last 90.
 */
export const HOLD_OUT_EXEMPTIONS = ['recent_complaint', 'network_fault'] as const;
export const HoldOutExemption = z.enum(HOLD_OUT_EXEMPTIONS);
export type HoldOutExemption = z.infer<typeof HoldOutExemption>;

/** The largest control share a catalogue may set: more than half held out is not a retention programme. */
export const MAX_CONTROL_SHARE = 0.5;

export const RetentionProgramme = z
  .object({
    /** Offers with the same programme id form one programme (the catalogue check keeps their settings equal). */
    id: z.string().min(1).max(64),
    /** Share of the programme's customers held out as its control group, e.g. 0.1. */
    controlShare: z.number().min(0).max(MAX_CONTROL_SHARE),
    /** Mixed into the membership hash; changing it re-draws the groups (a new programme). Defaults to the id. */
    salt: z.string().min(1).max(64).optional(),
    neverHoldOut: z.array(HoldOutExemption).default([...HOLD_OUT_EXEMPTIONS]),
  })
  .strict();
export type RetentionProgramme = z.infer<typeof RetentionProgramme>;

export const PROGRAMME_ARMS = ['treated', 'control'] as const;
export type ProgrammeArm = (typeof PROGRAMME_ARMS)[number];
