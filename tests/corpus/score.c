/*
 * score: a notes report against its answer key.
 *
 *   corpus-score NAME KEY REPORT.json
 *
 * The key (tests/notes/corpus/NAME.key) lists every formula of the file as
 * "LINE WHAT [why]": holds or fails for a claim, none for what is not one
 * (a definition, an assumption).  The formulas of a line are matched in
 * their order.  A verdict is right when it is the key's; wrong when it is
 * holds or fails and the key says otherwise (none included); anything else
 * (not checked, inconclusive) is undecided.  Prints one line of figures,
 * and each wrong verdict; exit status 1 when one is wrong, 2 when the key
 * or the report cannot be read.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	int line;
	char what[8];
	char why[200];
	int used;
} entry;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t n = 0, cap = 0;
	int c;
	if (f == NULL)
		return NULL;
	while ((c = getc(f)) != EOF) {
		if (n + 1 >= cap) {
			char *t = realloc(s, cap = cap ? cap * 2 : 4096);
			if (t == NULL) {
				free(s);
				fclose(f);
				return NULL;
			}
			s = t;
		}
		s[n++] = (char)c;
	}
	fclose(f);
	if (s == NULL && (s = malloc(1)) == NULL)
		return NULL;
	s[n] = '\0';
	return s;
}

int main(int argc, char **argv)
{
	entry *key = NULL;
	size_t nkey = 0;
	char buf[512];
	FILE *k;
	char *json;
	cJSON *root, *formulas, *f;
	int right = 0, wrong = 0, undecided = 0, claims = 0, errors = 0, caught = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: corpus-score NAME KEY REPORT.json\n");
		return 2;
	}
	if ((k = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	while (fgets(buf, sizeof buf, k) != NULL) {
		entry e = {0};
		int n = 0;
		entry *t;
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if (sscanf(buf, "%d %7s %n", &e.line, e.what, &n) < 2 ||
		    (strcmp(e.what, "holds") != 0 && strcmp(e.what, "fails") != 0 &&
		     strcmp(e.what, "none") != 0)) {
			fprintf(stderr, "%s: cannot read the line: %s", argv[2], buf);
			fclose(k);
			return 2;
		}
		snprintf(e.why, sizeof e.why, "%s", buf + n);
		e.why[strcspn(e.why, "\n")] = '\0';
		if ((t = realloc(key, (nkey + 1) * sizeof *t)) == NULL) {
			fclose(k);
			return 2;
		}
		key = t;
		key[nkey++] = e;
		if (strcmp(e.what, "none") != 0)
			claims++;
		if (strcmp(e.what, "fails") == 0)
			errors++;
	}
	fclose(k);
	if ((json = slurp(argv[3])) == NULL || (root = cJSON_Parse(json)) == NULL) {
		fprintf(stderr, "%s: not a JSON report\n", argv[3]);
		return 2;
	}
	formulas = cJSON_GetObjectItemCaseSensitive(root, "formulas");
	cJSON_ArrayForEach(f, formulas)
	{
		cJSON *line = cJSON_GetObjectItemCaseSensitive(f, "line");
		cJSON *verdict = cJSON_GetObjectItemCaseSensitive(f, "verdict");
		cJSON *latex = cJSON_GetObjectItemCaseSensitive(f, "latex");
		const char *v = cJSON_IsString(verdict) ? verdict->valuestring : "?";
		entry *e = NULL;
		for (size_t i = 0; i < nkey && cJSON_IsNumber(line); i++)
			if (!key[i].used && key[i].line == line->valueint) {
				e = &key[i];
				break;
			}
		if (e == NULL) {
			/* the key lists every formula; one it does not may be read
			 * apart differently, and is wrong only with a verdict */
			if (strcmp(v, "holds") == 0 || strcmp(v, "fails") == 0) {
				printf("%s:%d: WRONG: verify says %s of a formula the key does "
				       "not list: %s\n",
				       argv[1], cJSON_IsNumber(line) ? line->valueint : 0, v,
				       cJSON_IsString(latex) ? latex->valuestring : "?");
				wrong++;
			}
			continue;
		}
		e->used = 1;
		if (strcmp(v, "holds") != 0 && strcmp(v, "fails") != 0) {
			if (strcmp(e->what, "none") != 0)
				undecided++;
			continue;
		}
		if (strcmp(v, e->what) == 0) {
			right++;
			if (strcmp(v, "fails") == 0)
				caught++;
			continue;
		}
		wrong++;
		printf("%s:%d: WRONG: verify says %s, the key %s (%s): %s\n", argv[1], e->line,
		       v, e->what, e->why, cJSON_IsString(latex) ? latex->valuestring : "?");
	}
	for (size_t i = 0; i < nkey; i++)
		if (!key[i].used && strcmp(key[i].what, "none") != 0) {
			/* a claim the report does not list at all */
			printf("%s:%d: the report does not list this claim (%s)\n", argv[1],
			       key[i].line, key[i].what);
			undecided++;
		}
	printf("%-24s claims %3d  right %3d  wrong %3d  undecided %3d  errors caught %d of %d\n",
	       argv[1], claims, right, wrong, undecided, caught, errors);
	cJSON_Delete(root);
	free(json);
	free(key);
	return wrong > 0 ? 1 : 0;
}
