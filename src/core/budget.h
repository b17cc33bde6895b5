/*
 * budget: the work one item may take (a check of a lesson, a formula of a
 * notes file, an answer), counted as the work is done, not estimated:
 * every plan run charges its terms (a polynomial run the products it
 * forms), every finite-difference gradient its moves.  Past the limit the
 * charge fails with DV_E_LIMIT, "too large to decide here (N terms, limit
 * M)", and that item alone ends undecided; the caller starts the next one
 * afresh.
 *
 * One meter for the process (verify does one item at a time): items nest,
 * dv_budget_start keeping the enclosing one to give back at dv_budget_stop.
 */
#ifndef DV_CORE_BUDGET_H
#define DV_CORE_BUDGET_H

#include "core/diag.h"

/* The work of one item by default (docs/limits.md); every shipped lesson
 * and the seed notes use far less. */
#define DV_BUDGET_ITEM 1.5e8

/* What evaluating one node of an expression costs beside its terms. */
#define DV_BUDGET_NODE 256.0

typedef struct dv_budget {
	double limit, used; /* limit 0: no limit */
} dv_budget;

/* Starts an item of at most `limit` work; *outer keeps the enclosing one. */
void dv_budget_start(dv_budget *outer, double limit);
/* Ends it: the enclosing item is charged what it used, and goes on. */
void dv_budget_stop(const dv_budget *outer);
/* Charges `work`; DV_E_LIMIT past the item's limit. */
int dv_budget_charge(double work, dv_diag *d);
/* What the current item used so far. */
double dv_budget_used(void);
/* Whether the current item is past its limit: a DV_E_LIMIT met while it is
 * was the budget's (not a size limit or a 64-bit rational's). */
int dv_budget_spent(void);

#endif
