#include "core/budget.h"

static dv_budget meter;

void dv_budget_start(dv_budget *outer, double limit)
{
	*outer = meter;
	meter.used = 0.0;
	meter.limit = limit;
	/* an item inside another has at most what the outer one has left */
	if (outer->limit > 0 && (limit <= 0 || outer->limit - outer->used < limit))
		meter.limit = outer->limit - outer->used > 1 ? outer->limit - outer->used : 1;
}

void dv_budget_stop(const dv_budget *outer)
{
	double used = meter.used;
	meter = *outer;
	meter.used += used;
}

int dv_budget_charge(double work, dv_diag *d)
{
	meter.used += work;
	if (meter.limit > 0 && meter.used > meter.limit)
		return dv_fail(d, DV_E_LIMIT, "too large to decide here (%.3g terms, limit %.3g)",
		               meter.used, meter.limit);
	return DV_OK;
}

double dv_budget_used(void)
{
	return meter.used;
}

int dv_budget_spent(void)
{
	return meter.limit > 0 && meter.used > meter.limit;
}
