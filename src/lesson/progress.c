#include "lesson/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define FORMAT "verify-progress"
/* Larger progress files are not ours. */
#define MAX_PROGRESS_BYTES (4 * 1024 * 1024)

/* The length of the UTF-8 character at s (1 to 4), or 0 if it is not one. */
static size_t utf8_char(const unsigned char *s, unsigned *cp)
{
	size_t n;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

int progress_valid_student(const char *id)
{
	const unsigned char *s = (const unsigned char *)id;
	size_t chars = 0;
	unsigned cp;

	/* not empty, no blank or option or spreadsheet formula first */
	if (*s == '\0' || strchr(" -=+@\t", *s) != NULL)
		return 0;
	while (*s != '\0') {
		size_t n = utf8_char(s, &cp);
		/* printable: no control characters (C0, DEL, C1), no line or
		 * paragraph separators, no byte-order mark */
		if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xFEFF || ++chars > PROGRESS_MAX_STUDENT)
			return 0;
		s += n;
	}
	return s[-1] != ' ';
}

int progress_student_file(char *buf, size_t size, const char *id)
{
	size_t n = 0;
	/* letters, digits and '-' as they are, every other byte as _XX: one
	 * name, one file name, and never a '.' or a '/' in it */
	for (const unsigned char *s = (const unsigned char *)id; *s != '\0'; s++) {
		int plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		            (*s >= '0' && *s <= '9') || *s == '-';
		if (n + (plain ? 1 : 3) >= size)
			return -1;
		if (plain)
			buf[n++] = (char)*s;
		else
			n += (size_t)snprintf(buf + n, size - n, "_%02X", *s);
	}
	buf[n] = '\0';
	return 0;
}

/* Whether id was a student id before names could be any text: its file
 * was named by the id itself. */
static int legacy_student(const char *id)
{
	for (const char *c = id; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
			return 0;
	return 1;
}

/*
 * Moves from to a name that no other file has, never over one: `to`
 * itself, or to-1, to-2, ... (link, then unlink: rename would replace).
 * The name used is left in used.
 */
static int move_without_replacing(const char *from, const char *to, char *used, size_t size)
{
	for (int k = 0; k < 1000; k++) {
		if (k == 0)
			snprintf(used, size, "%s", to);
		else
			snprintf(used, size, "%s-%d", to, k);
		if (link(from, used) == 0) {
			unlink(from);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* A counter of the file: a whole number from 0 to PROGRESS_MAX_COUNT. */
static int count_of(const cJSON *it, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, name);
	double x = cJSON_IsNumber(v) ? v->valuedouble : 0.0;
	if (!(x >= 0))
		return 0;
	return x >= PROGRESS_MAX_COUNT ? PROGRESS_MAX_COUNT : (int)x;
}

/* mkdir -p, for the folder of the progress files. */
static int make_dirs(char *path, dv_diag *d)
{
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			int e = errno;
			*p = '/';
			return dv_fail(d, DV_E_IO, "cannot make the folder %s: %s", path,
			               strerror(e));
		}
		*p = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return dv_fail(d, DV_E_IO, "cannot make the folder %s: %s", path,
		               strerror(errno));
	return DV_OK;
}

static int state_dir(char *buf, size_t size, dv_diag *d)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, size, "%s/verify", xdg);
	else if (home != NULL && home[0] != '\0')
		snprintf(buf, size, "%s/.local/state/verify", home);
	else
		return dv_fail(d, DV_E_IO,
		               "neither XDG_STATE_HOME nor HOME is set: "
		               "nowhere to keep progress");
	return DV_OK;
}

static int read_file(char **out, size_t *len, const char *path, dv_diag *d)
{
	/* non-blocking: a FIFO put there must not hang verify */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;
	char *text;
	size_t n;

	*out = NULL;
	if (fd < 0) {
		if (errno == ENOENT)
			return DV_OK;
		return dv_fail(d, DV_E_IO, "cannot read %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dv_fail(d, DV_E_IO,
		               "%s is not a regular file; move it away to keep progress",
		               path);
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return dv_fail(d, DV_E_IO, "cannot read %s: %s", path, strerror(errno));
	}
	text = malloc(MAX_PROGRESS_BYTES + 1);
	n = text != NULL ? fread(text, 1, MAX_PROGRESS_BYTES + 1, f) : 0;
	fclose(f);
	if (text == NULL)
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	text[n > MAX_PROGRESS_BYTES ? MAX_PROGRESS_BYTES : n] = '\0';
	*out = text;
	*len = n;
	return DV_OK;
}

/* Fills p from the JSON text; -1 if it is not verify's progress. */
static int parse(progress *p, const char *text, size_t len)
{
	cJSON *root, *items, *it;
	const cJSON *fmt;
	int rc = 0;

	if (len > MAX_PROGRESS_BYTES || memchr(text, '\0', len) != NULL)
		return -1;
	root = cJSON_ParseWithLength(text, len);
	if (root == NULL)
		return -1;
	fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	items = cJSON_GetObjectItemCaseSensitive(root, "exercises");
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, FORMAT) != 0 ||
	    !cJSON_IsArray(items)) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(it, items)
	{
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(it, "lesson");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
		progress_item *grown, *x;
		if (!cJSON_IsString(l) || !cJSON_IsString(id) ||
		    strlen(l->valuestring) >= 64 || strlen(id->valuestring) >= 64) {
			rc = -1;
			break;
		}
		grown = realloc(p->items, (p->n + 1) * sizeof *grown);
		if (grown == NULL) {
			rc = -1;
			break;
		}
		p->items = grown;
		x = &p->items[p->n++];
		memset(x, 0, sizeof *x);
		strcpy(x->lesson, l->valuestring);
		strcpy(x->id, id->valuestring);
		x->attempts = count_of(it, "attempts");
		x->hints = count_of(it, "hints");
		x->solved = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "solved"));
		x->gave_up =
		        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "gave_up"));
	}
	cJSON_Delete(root);
	return rc;
}

int progress_load(progress **out, const char *student, char **kept_aside, dv_diag *d)
{
	char dir[4096], path[5000], name[PROGRESS_MAX_STUDENT * 12 + 1];
	progress *p;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*kept_aside = NULL;
	if (student != NULL && (!progress_valid_student(student) ||
	                        progress_student_file(name, sizeof name, student) != 0))
		return dv_fail(d, DV_E_USAGE, "'%s' cannot name a student (%s)", student,
		               PROGRESS_STUDENT_RULE);
	if ((rc = state_dir(dir, sizeof dir, d)) != DV_OK)
		return rc;
	if (student != NULL)
		snprintf(path, sizeof path, "%s/progress-%s.json", dir, name);
	else
		snprintf(path, sizeof path, "%s/progress.json", dir);
	if (student != NULL && legacy_student(student) && strcmp(name, student) != 0) {
		/* saved before names were encoded (anna.li): it moves to its new
		 * name, never over one */
		char legacy[4200];
		snprintf(legacy, sizeof legacy, "%s/progress-%s.json", dir, student);
		if (access(path, F_OK) != 0 && access(legacy, F_OK) == 0) {
			if (link(legacy, path) == 0)
				unlink(legacy);
			else if (errno != EEXIST)
				return dv_fail(d, DV_E_IO, "cannot move %s to %s: %s",
				               legacy, path, strerror(errno));
		}
	}
	p = calloc(1, sizeof *p);
	if (p == NULL || (p->path = strdup(path)) == NULL) {
		free(p);
		return dv_fail(d, DV_E_NOMEM, "out of memory");
	}
	if ((rc = read_file(&text, &len, path, d)) != DV_OK) {
		progress_free(p);
		return rc;
	}
	if (text != NULL && parse(p, text, len) != 0) {
		/* not ours, or damaged: keep it for whoever wants it back */
		char want[5100], aside[5200];
		snprintf(want, sizeof want, "%s.corrupt-%ld", path, (long)time(NULL));
		free(p->items);
		p->items = NULL;
		p->n = 0;
		if (move_without_replacing(path, want, aside, sizeof aside) != 0) {
			rc = dv_fail(d, DV_E_IO,
			             "%s is not verify's progress and cannot be moved "
			             "aside: %s",
			             path, strerror(errno));
			free(text);
			progress_free(p);
			return rc;
		}
		*kept_aside = strdup(aside);
	}
	free(text);
	*out = p;
	return DV_OK;
}

static int was_forgotten(const progress *p, const char *lesson)
{
	for (size_t i = 0; i < p->nforgotten; i++)
		if (strcmp(p->forgotten[i], lesson) == 0)
			return 1;
	return 0;
}

/* Merges the record on disk (another session's) into p. */
static int merge_saved(progress *p, dv_diag *d)
{
	progress disk = {0};
	char *text = NULL;
	size_t len = 0;
	int rc = read_file(&text, &len, p->path, d);

	if (rc != DV_OK || text == NULL)
		return rc;
	if (parse(&disk, text, len) == 0) {
		for (size_t i = 0; i < disk.n; i++) {
			const progress_item *x = &disk.items[i];
			progress_item *mine;
			if (was_forgotten(p, x->lesson))
				continue;
			if ((mine = progress_get(p, x->lesson, x->id, d)) == NULL) {
				rc = DV_E_NOMEM;
				break;
			}
			mine->attempts = mine->attempts > x->attempts ? mine->attempts
			                                              : x->attempts;
			mine->hints = mine->hints > x->hints ? mine->hints : x->hints;
			mine->solved |= x->solved;
			mine->gave_up |= x->gave_up;
		}
	}
	free(disk.items);
	free(text);
	return rc;
}

/* Removes PATH.tmp-* files that saves which died left behind. */
static void remove_stale(const char *dir, const char *path)
{
	const char *base = strrchr(path, '/');
	char prefix[1024];
	DIR *dd;
	struct dirent *e;

	base = base != NULL ? base + 1 : path;
	/* a cut prefix could be another student's: then nothing is removed */
	if ((size_t)snprintf(prefix, sizeof prefix, "%s.tmp-", base) >= sizeof prefix)
		return;
	if ((dd = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dd)) != NULL) {
		char victim[6100];
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(victim, sizeof victim, "%s/%s", dir, e->d_name);
		unlink(victim);
	}
	closedir(dd);
}

int progress_save(progress *p, dv_diag *d)
{
	char dir[5000], tmp[5100], lockpath[5100];
	cJSON *root = NULL, *items;
	char *text = NULL, *slash;
	int fd = -1, lock = -1, rc = DV_OK;
	size_t len;

	snprintf(dir, sizeof dir, "%s", p->path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	tmp[0] = '\0';
	if ((rc = make_dirs(dir, d)) != DV_OK)
		return rc;
	/* one save at a time; what another session saved is merged first */
	snprintf(lockpath, sizeof lockpath, "%s.lock", p->path);
	lock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock < 0)
		return dv_fail(d, DV_E_IO, "cannot save progress in %s: %s", dir,
		               strerror(errno));
	while (flock(lock, LOCK_EX) != 0 && errno == EINTR)
		;
	remove_stale(dir, p->path);
	if ((rc = merge_saved(p, d)) != DV_OK)
		goto out;
	root = cJSON_CreateObject();
	if (root == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto out;
	}
	cJSON_AddStringToObject(root, "format", FORMAT);
	cJSON_AddNumberToObject(root, "version", 1);
	items = cJSON_AddArrayToObject(root, "exercises");
	for (size_t i = 0; items != NULL && i < p->n; i++) {
		const progress_item *x = &p->items[i];
		cJSON *it = cJSON_CreateObject();
		if (it == NULL)
			break;
		cJSON_AddStringToObject(it, "lesson", x->lesson);
		cJSON_AddStringToObject(it, "id", x->id);
		cJSON_AddNumberToObject(it, "attempts", x->attempts);
		cJSON_AddNumberToObject(it, "hints", x->hints);
		cJSON_AddBoolToObject(it, "solved", x->solved);
		cJSON_AddBoolToObject(it, "gave_up", x->gave_up);
		cJSON_AddItemToArray(items, it);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL) {
		rc = dv_fail(d, DV_E_NOMEM, "out of memory");
		goto out;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", p->path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = dv_fail(d, DV_E_IO, "cannot save progress in %s: %s", dir,
		             strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	len = strlen(text);
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = dv_fail(d, DV_E_IO, "cannot save progress to %s: %s",
			             p->path, strerror(errno));
			goto out;
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0) {
		rc = dv_fail(d, DV_E_IO, "cannot save progress to %s: %s", p->path,
		             strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = dv_fail(d, DV_E_IO, "cannot save progress to %s: %s", p->path,
		             strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, p->path) != 0) {
		rc = dv_fail(d, DV_E_IO, "cannot save progress to %s: %s", p->path,
		             strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	/* the rename itself must reach the disk */
	fd = open(dir, O_RDONLY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
		fd = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0' && rc != DV_OK)
		unlink(tmp);
	if (lock >= 0)
		close(lock); /* releases the lock */
	cJSON_free(text);
	return rc;
}

void progress_free(progress *p)
{
	if (p == NULL)
		return;
	free(p->path);
	free(p->items);
	free(p->forgotten);
	free(p);
}

progress_item *progress_get(progress *p, const char *lesson, const char *id, dv_diag *d)
{
	progress_item *grown, *x;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i].lesson, lesson) == 0 &&
		    strcmp(p->items[i].id, id) == 0)
			return &p->items[i];
	if (strlen(lesson) >= 64 || strlen(id) >= 64) {
		dv_fail(d, DV_E_LIMIT, "a lesson or exercise name is too long to keep");
		return NULL;
	}
	grown = realloc(p->items, (p->n + 1) * sizeof *grown);
	if (grown == NULL) {
		dv_fail(d, DV_E_NOMEM, "out of memory");
		return NULL;
	}
	p->items = grown;
	x = &p->items[p->n++];
	memset(x, 0, sizeof *x);
	strcpy(x->lesson, lesson);
	strcpy(x->id, id);
	return x;
}

size_t progress_reset(progress *p, const char *lesson)
{
	size_t w = 0, gone = 0;
	if (!was_forgotten(p, lesson)) {
		char(*grown)[64] =
		        realloc(p->forgotten, (p->nforgotten + 1) * sizeof *grown);
		if (grown != NULL) {
			p->forgotten = grown;
			snprintf(p->forgotten[p->nforgotten++], 64, "%s", lesson);
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->items[i].lesson, lesson) == 0)
			gone++;
		else
			p->items[w++] = p->items[i];
	}
	p->n = w;
	return gone;
}

int progress_history_path(char *buf, size_t size, const char *student, const char *lesson,
                          dv_diag *d)
{
	char dir[4096];
	int rc;

	char name[PROGRESS_MAX_STUDENT * 12 + 1];

	if (student != NULL && (!progress_valid_student(student) ||
	                        progress_student_file(name, sizeof name, student) != 0))
		return dv_fail(d, DV_E_USAGE, "'%s' cannot name a student (%s)", student,
		               PROGRESS_STUDENT_RULE);
	/* lesson names are lower-case letters, digits and '-': no path in them */
	for (const char *c = lesson; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return dv_fail(d, DV_E_USAGE,
			               "'%s' cannot name a lesson's history", lesson);
	if ((rc = state_dir(dir, sizeof dir, d)) != DV_OK)
		return rc;
	if (student != NULL)
		snprintf(buf, size, "%s/history-%s", dir, name);
	else
		snprintf(buf, size, "%s/history", dir);
	if ((rc = make_dirs(buf, d)) != DV_OK)
		return rc;
	if (strlen(buf) + strlen(lesson) + 2 > size)
		return dv_fail(d, DV_E_IO, "the state folder's path is too long");
	strcat(buf, "/");
	strcat(buf, lesson);
	return DV_OK;
}
