/* Fake NVML: control functions the tests call through P/Invoke to script devices and faults.
 * FAKE_NVML_DEVICES=N seeds N healthy GPUs at the first nvmlInit_v2 when nothing was scripted
 * (used to run the agent by hand and for the CPU benchmark). */
#include "fake_nvml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void fake_add_process(struct fake_device *d, unsigned int pid, unsigned long long mem);

static struct fake_device *slot(int index)
{
    return index >= 0 && index < FAKE_MAX_DEVICES && fake.devices[index].in_use ? &fake.devices[index] : NULL;
}

static int new_device(const char *uuid, const char *name, unsigned long long total, unsigned long long used)
{
    for (int i = 0; i < FAKE_MAX_DEVICES; i++) {
        struct fake_device *d = &fake.devices[i];
        if (d->in_use) continue;
        memset(d, 0, sizeof(*d));
        d->in_use = 1;
        snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
        snprintf(d->name, sizeof(d->name), "%s", name);
        d->total = total;
        d->used = used;
        return i;
    }
    return -1;
}

EXPORT void fake_nvml_reset(void)
{
    pthread_mutex_lock(&fake.lock);
    memset(fake.devices, 0, sizeof(fake.devices));
    fake.gpu_count = 0;
    fake.init_result = NVML_SUCCESS;
    fake.init_hang_ms = 0;
    fake.event_len = 0;
    fake.event_set_broken = 0;
    fake.event_wait_hang_ms = 0;
    fake.shutdowns_under_wait = 0;
    fake.calls = 0;
    fake.hang_releases++; /* nothing stays blocked into the next test */
    pthread_cond_broadcast(&fake.hang_cond);
    pthread_mutex_unlock(&fake.lock);
}

/* Adds a full GPU; returns its slot id (also its NVML index while no GPU is removed). */
EXPORT int fake_nvml_add_gpu(const char *uuid, const char *name, unsigned long long total, unsigned long long used,
                             unsigned int gpu_util, unsigned int mem_util, unsigned int temp, unsigned int power_mw)
{
    pthread_mutex_lock(&fake.lock);
    int id = new_device(uuid, name, total, used);
    if (id >= 0) {
        struct fake_device *d = &fake.devices[id];
        d->gpu_util = gpu_util;
        d->mem_util = mem_util;
        d->temp = temp;
        d->power_mw = power_mw;
        d->reserved = total / 100;
        d->bus = (unsigned int)fake.gpu_count + 0x17u;
        fake.gpu_order[fake.gpu_count++] = id;
    }
    pthread_mutex_unlock(&fake.lock);
    return id;
}

/* Turns MIG on for a GPU and adds one MIG device in the next free slot; returns the MIG slot id. */
EXPORT int fake_nvml_add_mig(int parent, const char *uuid, const char *name, unsigned int gi, unsigned int ci,
                             unsigned long long total, unsigned long long used)
{
    pthread_mutex_lock(&fake.lock);
    int id = -1;
    struct fake_device *p = slot(parent);
    if (p != NULL) {
        /* Enabling MIG needs an idle GPU: processes started before it cannot survive the switch. */
        if (!p->mig_mode) p->nprocs = 0;
        p->mig_mode = 1;
        for (int i = 0; i < FAKE_MAX_MIG && id < 0; i++) {
            if (p->mig_children[i] != 0) continue;
            id = new_device(uuid, name, total, used);
            if (id < 0) break;
            fake.devices[id].is_mig = 1;
            fake.devices[id].parent = parent;
            fake.devices[id].gi = gi;
            fake.devices[id].ci = ci;
            p->mig_children[i] = id + 1;
        }
    }
    pthread_mutex_unlock(&fake.lock);
    return id;
}

EXPORT void fake_nvml_add_process(int id, unsigned int pid, unsigned long long mem)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL) fake_add_process(d, pid, mem);
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_grow_processes_once(int id, unsigned int extra)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL) d->grow_procs_once = extra;
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_set_error(int id, int field, int nvml_return)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL && field >= 0 && field < F_COUNT) d->errors[field] = nvml_return;
    pthread_mutex_unlock(&fake.lock);
}

/* Makes the field's calls hang: each blocks until fake_nvml_release_hangs, or ms at most (0 turns it off). */
EXPORT void fake_nvml_set_hang(int id, int field, unsigned int ms)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL && field >= 0 && field < F_COUNT) d->hang_ms[field] = ms;
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_set_lost(int id, int lost)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL) d->lost = lost;
    pthread_mutex_unlock(&fake.lock);
}

/* Sets allocated memory (v2 used); v1 used and both frees follow from total = reserved + used + free. */
EXPORT void fake_nvml_set_memory_used(int id, unsigned long long used)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL) d->used = used;
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_set_clock_reasons(int id, unsigned long long reasons)
{
    pthread_mutex_lock(&fake.lock);
    struct fake_device *d = slot(id);
    if (d != NULL) d->clock_reasons = reasons;
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_set_init_result(int nvml_return)
{
    pthread_mutex_lock(&fake.lock);
    fake.init_result = nvml_return;
    pthread_mutex_unlock(&fake.lock);
}

EXPORT void fake_nvml_set_init_hang(unsigned int ms)
{
    pthread_mutex_lock(&fake.lock);
    fake.init_hang_ms = ms;
    pthread_mutex_unlock(&fake.lock);
}

/* Queues an XID event (type 0x8) for a device registered for it; returns 0 when not delivered. */
EXPORT int fake_nvml_push_xid(int id, unsigned long long xid)
{
    pthread_mutex_lock(&fake.lock);
    int ok = 0;
    struct fake_device *d = slot(id);
    struct fake_device *owner = d != NULL && d->is_mig ? &fake.devices[d->parent] : d;
    if (owner != NULL && (owner->event_mask & 0x8ull) && fake.event_len < FAKE_MAX_EVENTS) {
        int tail = (fake.event_head + fake.event_len) % FAKE_MAX_EVENTS;
        fake.events[tail].device = id;
        fake.events[tail].type = 0x8ull;
        fake.events[tail].data = xid;
        fake.event_len++;
        pthread_cond_broadcast(&fake.event_cond);
        ok = 1;
    }
    pthread_mutex_unlock(&fake.lock);
    return ok;
}

/* Makes every nvmlEventSetWait_v2 hang regardless of its timeout (a driver stuck in the wait): until
 * fake_nvml_release_hangs, or ms at most. */
EXPORT void fake_nvml_set_event_wait_hang(unsigned int ms)
{
    pthread_mutex_lock(&fake.lock);
    fake.event_wait_hang_ms = ms;
    pthread_mutex_unlock(&fake.lock);
}

/* Ends every hang in progress: the blocked calls go on as if NVML had answered late. */
EXPORT void fake_nvml_release_hangs(void)
{
    pthread_mutex_lock(&fake.lock);
    fake.hang_releases++;
    pthread_cond_broadcast(&fake.hang_cond);
    pthread_mutex_unlock(&fake.lock);
}

/* Waits until at least count threads are inside a hang, or cap_ms passes; returns how many are. */
EXPORT int fake_nvml_wait_hung(int count, unsigned int cap_ms)
{
    struct timespec deadline = fake_deadline(cap_ms);

    pthread_mutex_lock(&fake.lock);
    while (fake.hung < count) {
        if (pthread_cond_timedwait(&fake.hang_cond, &fake.lock, &deadline) == ETIMEDOUT) break;
    }
    int n = fake.hung;
    pthread_mutex_unlock(&fake.lock);
    return n;
}

/* nvmlShutdown calls made while a thread was inside nvmlEventSetWait_v2 since the last reset. */
EXPORT int fake_nvml_shutdowns_under_wait(void)
{
    pthread_mutex_lock(&fake.lock);
    int n = fake.shutdowns_under_wait;
    pthread_mutex_unlock(&fake.lock);
    return n;
}

/* NVML calls served so far, nvmlEventSetWait_v2 excluded. */
EXPORT unsigned long long fake_nvml_call_count(void)
{
    pthread_mutex_lock(&fake.lock);
    unsigned long long calls = fake.calls;
    pthread_mutex_unlock(&fake.lock);
    return calls;
}

EXPORT int fake_nvml_init_count(void)
{
    pthread_mutex_lock(&fake.lock);
    int count = fake.init_count;
    pthread_mutex_unlock(&fake.lock);
    return count;
}

/* sizeof of the ABI structs as this C compiler lays them out, for the binding's layout tests. */
EXPORT int fake_nvml_sizeof(const char *type)
{
    if (strcmp(type, "nvmlMemory_t") == 0) return (int)sizeof(nvmlMemory_t);
    if (strcmp(type, "nvmlMemory_v2_t") == 0) return (int)sizeof(nvmlMemory_v2_t);
    if (strcmp(type, "nvmlUtilization_t") == 0) return (int)sizeof(nvmlUtilization_t);
    if (strcmp(type, "nvmlTemperature_t") == 0) return (int)sizeof(nvmlTemperature_t);
    if (strcmp(type, "nvmlProcessInfo_t") == 0) return (int)sizeof(nvmlProcessInfo_t);
    if (strcmp(type, "nvmlPciInfo_t") == 0) return (int)sizeof(nvmlPciInfo_t);
    if (strcmp(type, "nvmlEventData_t") == 0) return (int)sizeof(nvmlEventData_t);
    return -1;
}

void fake_seed_from_env(void)
{
    const char *env = getenv("FAKE_NVML_DEVICES");
    if (env == NULL || fake.gpu_count > 0) return;
    int n = atoi(env);
    for (int i = 0; i < n && i < 16; i++) {
        char uuid[96];
        snprintf(uuid, sizeof(uuid), "GPU-00000000-0000-4000-8000-%012d", i);
        int id = fake_nvml_add_gpu(uuid, "Fake NVIDIA H100 80GB HBM3", 85899345920ull, (unsigned long long)(i + 1) << 32,
                                   (unsigned int)(10 * i % 100), 5, 40u + (unsigned int)i, 150000u + 1000u * (unsigned int)i);
        fake_nvml_add_process(id, 1000u + (unsigned int)i, 1ull << 30);
    }
}
