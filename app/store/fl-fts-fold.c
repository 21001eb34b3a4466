/* fl-fts-fold.c: the full-text tokenizer that folds spellings together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fl-fts-fold.h"

/* unicode61 with remove_diacritics already makes "müller" "muller",
 * "François" "francois" and "Şahin" "sahin". What it leaves is folded
 * here, on each token it gives, for the index and the query alike:
 *
 *  - letters without a decomposition: ß and ẞ → ss, ł → l, ı → i,
 *    ø → o, æ → ae, œ → oe, đ and ð → d, þ → th (upper case too, though
 *    unicode61 gives lower case);
 *  - the German spelling without umlauts: ae → a, oe → o, ue → u, so
 *    that "Mueller", "Müller" and "Muller" are one word, as ä → a already
 *    made "Müller" and "Muller" one.
 *
 * A folded token is never longer than the token. */

#define TOKENIZER_NAME "fairlead_fold"

typedef struct
{
  fts5_tokenizer  base;     /* unicode61's functions */
  Fts5Tokenizer  *wrapped;  /* unicode61 itself, with the arguments given */
} FoldTokenizer;

typedef struct
{
  void *ctx;
  int (*token) (void *ctx, int flags, const char *token, int n_token, int start, int end);
  char  buffer[256];
} FoldCall;

/* Writes the folded @token to @out (at least @n bytes); returns its length. */
static int
fold (const char *token, int n, char *out)
{
  int o = 0;

  for (int i = 0; i < n;)
    {
      unsigned char c = token[i];

      if (c < 0x80)
        {
          char next = i + 1 < n ? token[i + 1] : '\0';

          out[o++] = c;
          i++;
          /* ae, oe, ue → a, o, u */
          if (next == 'e' && (c == 'a' || c == 'o' || c == 'u'))
            i++;
          continue;
        }
      if (c == 0xc3 && i + 1 < n)
        {
          switch ((unsigned char) token[i + 1])
            {
            case 0x9f: memcpy (out + o, "ss", 2); o += 2; i += 2; continue;              /* ß */
            case 0xb8: case 0x98: out[o++] = 'o'; i += 2; continue;                     /* ø Ø */
            case 0xa6: case 0x86: out[o++] = 'a'; i += 2; continue;                     /* æ Æ: ae → a */
            case 0xb0: case 0x90: out[o++] = 'd'; i += 2; continue;                     /* ð Ð */
            case 0xbe: case 0x9e: memcpy (out + o, "th", 2); o += 2; i += 2; continue;  /* þ Þ */
            default: break;
            }
        }
      else if (c == 0xc4 && i + 1 < n)
        {
          switch ((unsigned char) token[i + 1])
            {
            case 0xb1: out[o++] = 'i'; i += 2; continue;   /* ı */
            case 0x91: case 0x90: out[o++] = 'd'; i += 2; continue;   /* đ Đ */
            default: break;
            }
        }
      else if (c == 0xc5 && i + 1 < n)
        {
          switch ((unsigned char) token[i + 1])
            {
            case 0x82: case 0x81: out[o++] = 'l'; i += 2; continue;   /* ł Ł */
            case 0x93: case 0x92: out[o++] = 'o'; i += 2; continue;   /* œ Œ: oe → o */
            default: break;
            }
        }
      else if (c == 0xe1 && i + 2 < n && (unsigned char) token[i + 1] == 0xba &&
               (unsigned char) token[i + 2] == 0x9e)
        {
          memcpy (out + o, "ss", 2);   /* ẞ */
          o += 2;
          i += 3;
          continue;
        }
      out[o++] = c;
      i++;
    }
  return o;
}

static int
fold_token (void *data, int flags, const char *token, int n_token, int start, int end)
{
  FoldCall *call = data;
  char *out = n_token <= (int) sizeof call->buffer ? call->buffer : sqlite3_malloc (n_token);
  int rc;

  if (out == NULL)
    return SQLITE_NOMEM;
  rc = call->token (call->ctx, flags, out, fold (token, n_token, out), start, end);
  if (out != call->buffer)
    sqlite3_free (out);
  return rc;
}

static int
fold_tokenize (Fts5Tokenizer *tokenizer, void *ctx, int flags, const char *text, int n_text,
               int (*token) (void *ctx, int flags, const char *token, int n_token, int start,
                             int end))
{
  FoldTokenizer *self = (FoldTokenizer *) tokenizer;
  FoldCall call = { ctx, token, { 0 } };

  return self->base.xTokenize (self->wrapped, &call, flags, text, n_text, fold_token);
}

static void
fold_delete (Fts5Tokenizer *tokenizer)
{
  FoldTokenizer *self = (FoldTokenizer *) tokenizer;

  if (self->wrapped != NULL)
    self->base.xDelete (self->wrapped);
  sqlite3_free (self);
}

static int
fold_create (void *data, const char **args, int n_args, Fts5Tokenizer **out)
{
  fts5_api *api = data;
  FoldTokenizer *self;
  void *user_data = NULL;
  int rc;

  self = sqlite3_malloc (sizeof *self);
  if (self == NULL)
    return SQLITE_NOMEM;
  memset (self, 0, sizeof *self);
  rc = api->xFindTokenizer (api, "unicode61", &user_data, &self->base);
  if (rc == SQLITE_OK)
    rc = self->base.xCreate (user_data, args, n_args, &self->wrapped);
  if (rc != SQLITE_OK)
    {
      fold_delete ((Fts5Tokenizer *) self);
      return rc;
    }
  *out = (Fts5Tokenizer *) self;
  return SQLITE_OK;
}

/**
 * fl_fts_fold_register:
 *
 * Makes the tokenizer "fairlead_fold" known to @db; every connection that
 * writes leads needs it, as the full-text index of schema version 5 and
 * later uses it.
 *
 * Returns: an SQLite result code
 */
int
fl_fts_fold_register (sqlite3 *db)
{
  static fts5_tokenizer tokenizer = { fold_create, fold_delete, fold_tokenize };
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  rc = sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return rc;
  if (api == NULL || api->iVersion < 2)
    return SQLITE_ERROR;
  return api->xCreateTokenizer (api, TOKENIZER_NAME, api, &tokenizer, NULL);
}
