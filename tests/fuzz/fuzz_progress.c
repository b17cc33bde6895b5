/*
 * libFuzzer harness of the progress file: the input is written as a
 * student's progress file, loaded, saved and loaded again; the two loads
 * must hold the same records.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/progress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char state[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	progress *a = NULL, *b = NULL;
	char *kept = NULL;
	dv_diag d;
	FILE *f;

	if (state[0] == '\0') {
		snprintf(state, sizeof state, "/tmp/verify-fuzz-XXXXXX");
		if (mkdtemp(state) == NULL)
			abort();
		setenv("XDG_STATE_HOME", state, 1);
	}
	snprintf(path, sizeof path, "%s/verify", state);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/verify/progress-fuzz.json", state);
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	dv_diag_clear(&d);
	if (progress_load(&a, "fuzz", &kept, &d) == DV_OK) {
		if (kept != NULL)
			unlink(kept);
		free(kept);
		kept = NULL;
		if (progress_save(a, &d) != DV_OK)
			abort();
		if (progress_load(&b, "fuzz", &kept, &d) != DV_OK || kept != NULL ||
		    b->n != a->n)
			abort();
		for (size_t i = 0; i < a->n; i++)
			if (memcmp(&a->items[i], &b->items[i], sizeof a->items[i]) != 0)
				abort();
	}
	free(kept);
	progress_free(a);
	progress_free(b);
	return 0;
}
