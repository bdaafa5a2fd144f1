/*
 * The solicitation model's inner loop (see model.py, which holds the same in Python).
 *
 * A text is an array of Unicode code points. Each of its n-grams, `shortest` to `order` code
 * points long, falls into a bucket: the low bits of a 64-bit hash of the n-gram's length and code
 * points. The loop adds table[bucket] over the distinct buckets the text holds, and counts those
 * with a weight; model.py divides the sum by the square root of the count.
 *
 * Built by hatch_build.py into a shared library and called through ctypes; no Python headers.
 * model.py loads it only when tsunagu_grams_abi() is the ABI it was written for and
 * tsunagu_grams_source() is the SHA-256 of this file, which the build passes in.
 */
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bumped with any change to the functions or structures below (model.py checks it). */
#ifndef TSUNAGU_GRAMS_ABI
#define TSUNAGU_GRAMS_ABI 1
#endif
/* The SHA-256 of this file, in hex, given by the build (hatch_build.py). */
#ifndef TSUNAGU_GRAMS_SOURCE
#define TSUNAGU_GRAMS_SOURCE ""
#endif

int tsunagu_grams_abi(void) { return TSUNAGU_GRAMS_ABI; }

const char *tsunagu_grams_source(void) { return TSUNAGU_GRAMS_SOURCE; }

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MIX 0xbf58476d1ce4e5b9ULL

/* The hash of an n-gram from the running FNV-1a state after its last code point. */
static inline uint64_t finish(uint64_t state, int n) {
    uint64_t h = state ^ ((uint64_t)n << 59);
    h ^= h >> 29;
    h *= MIX;
    h ^= h >> 32;
    return h;
}

/* What a model is to the loop: its weights, indexed by bucket, and the longest n-gram. */
typedef struct {
    const float *table;
    uint64_t mask; /* the table's size minus one (a power of two minus one) */
    int order;     /* the longest n-gram */
    int shortest;  /* the shortest n-gram */
} tsunagu_model;

/* Asking memory for what is needed soon, where the compiler can say so. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

/* Slots for the buckets seen, on the stack for messages of ordinary length. */
#define STACK_SLOTS 4096

/*
 * The sum of the weights of the distinct buckets of the text's n-grams, and in *known how many
 * of those buckets have a weight (the model's features); NaN without memory.
 *
 * Two passes: the first finds the distinct buckets and asks memory for each one's weight as it
 * finds it; the second adds the weights, in the same order. The table is megabytes and each
 * weight sits somewhere else in it: fetched one after the other, each would wait for the last.
 */
double tsunagu_score(const uint32_t *points, size_t length, const tsunagu_model *model,
                     size_t *known) {
    int order = model->order > 0 ? model->order : 0;
    size_t grams = length * (size_t)order;
    *known = 0;
    if (grams == 0) {
        return 0.0;
    }
    /* open addressing over bucket + 1 (0 marks an empty slot), at most half full */
    size_t capacity = 64;
    while (capacity < grams * 2) {
        capacity <<= 1;
    }
    uint64_t seen_on_stack[STACK_SLOTS];
    uint64_t found_on_stack[STACK_SLOTS / 2];
    uint64_t *seen = seen_on_stack;
    uint64_t *found = found_on_stack; /* the distinct buckets in the order met: at most grams */
    if (capacity <= STACK_SLOTS) {
        memset(seen, 0, capacity * sizeof(uint64_t));
    } else {
        seen = calloc(capacity, sizeof(uint64_t));
        found = malloc(grams * sizeof(uint64_t));
        if (seen == NULL || found == NULL) {
            free(seen);
            free(found);
            return NAN;
        }
    }
    size_t distinct = 0;
    for (size_t i = 0; i < length; i++) {
        uint64_t state = FNV_OFFSET;
        for (int n = 1; n <= order && i + (size_t)n <= length; n++) {
            state = (state ^ points[i + (size_t)n - 1]) * FNV_PRIME;
            if (n < model->shortest) {
                continue;
            }
            uint64_t bucket = finish(state, n) & model->mask;
            /* the slot follows from the bucket: grams that share a bucket are one feature */
            size_t slot = (size_t)((bucket * 0x9e3779b97f4a7c15ULL) >> 32) & (capacity - 1);
            for (;;) {
                if (seen[slot] == 0) {
                    seen[slot] = bucket + 1;
                    found[distinct++] = bucket;
                    PREFETCH(&model->table[bucket]);
                    break;
                }
                if (seen[slot] == bucket + 1) {
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
        }
    }
    double sum = 0.0;
    size_t count = 0;
    for (size_t k = 0; k < distinct; k++) {
        float weight = model->table[found[k]];
        if (weight != 0.0f) {
            sum += weight;
            count++;
        }
    }
    *known = count;
    if (seen != seen_on_stack) {
        free(seen);
        free(found);
    }
    return sum;
}
