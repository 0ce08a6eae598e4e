/* Fake NVML: MIG queries and the event-set API used for XID events. */
#include "fake_nvml.h"

#include <errno.h>
#include <time.h>

typedef struct fake_event_set *nvmlEventSet_t;

#define ENTER(dev, field)                                   \
    struct fake_device *d = NULL;                           \
    nvmlReturn_t r_ = fake_enter((dev), (field), &d);       \
    if (r_ != NVML_SUCCESS) { fake_leave(); return r_; }

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t dev, unsigned int *current, unsigned int *pending)
{
    ENTER(dev, F_MIG_MODE);
    nvmlReturn_t r = d->is_mig ? NVML_ERROR_NOT_SUPPORTED : NVML_SUCCESS;
    if (r == NVML_SUCCESS) *current = *pending = d->mig_mode;
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t dev, unsigned int *count)
{
    ENTER(dev, F_MIG_MODE);
    *count = d->mig_mode ? FAKE_MAX_MIG : 0;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t dev, unsigned int index, nvmlDevice_t *mig)
{
    ENTER(dev, F_MIG_MODE);
    nvmlReturn_t r = NVML_ERROR_INVALID_ARGUMENT;
    if (index < FAKE_MAX_MIG) {
        int child = d->mig_children[index];
        r = child > 0 ? NVML_SUCCESS : NVML_ERROR_NOT_FOUND;
        if (child > 0) *mig = &fake.devices[child - 1];
    }
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t dev, unsigned int *id)
{
    ENTER(dev, F_MIG_MODE);
    nvmlReturn_t r = d->is_mig ? NVML_SUCCESS : NVML_ERROR_INVALID_ARGUMENT;
    if (d->is_mig) *id = d->gi;
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t dev, unsigned int *id)
{
    ENTER(dev, F_MIG_MODE);
    nvmlReturn_t r = d->is_mig ? NVML_SUCCESS : NVML_ERROR_INVALID_ARGUMENT;
    if (d->is_mig) *id = d->ci;
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set)
{
    ENTER(NULL, F_EVENTS);
    fake.event_set_open = 1;
    fake.event_len = 0;
    *set = (nvmlEventSet_t)&fake.event_set_open;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set)
{
    (void)set;
    ENTER(NULL, F_EVENTS);
    fake.event_set_open = 0;
    pthread_cond_broadcast(&fake.event_cond);
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t dev, unsigned long long *types)
{
    ENTER(dev, F_EVENTS);
    *types = 0x1ull | 0x2ull | 0x4ull | 0x8ull | 0x10ull;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t dev, unsigned long long mask, nvmlEventSet_t set)
{
    (void)set;
    ENTER(dev, F_EVENTS);
    d->event_mask |= mask;
    fake_leave();
    return NVML_SUCCESS;
}

/* Not counted in fake_nvml_call_count: the XID watcher polls it on its own thread. */
EXPORT nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeout_ms)
{
    (void)set;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000u;
    deadline.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }

    pthread_mutex_lock(&fake.lock);
    nvmlReturn_t r = NVML_ERROR_TIMEOUT;
    while (fake.init_count > 0 && fake.event_set_open && fake.event_len == 0) {
        if (pthread_cond_timedwait(&fake.event_cond, &fake.lock, &deadline) == ETIMEDOUT) break;
    }
    if (fake.init_count <= 0) {
        r = NVML_ERROR_UNINITIALIZED;
    } else if (fake.event_len > 0) {
        struct fake_event ev = fake.events[fake.event_head];
        fake.event_head = (fake.event_head + 1) % FAKE_MAX_EVENTS;
        fake.event_len--;
        struct fake_device *src = &fake.devices[ev.device];
        data->device = src->is_mig ? &fake.devices[src->parent] : src;
        data->eventType = ev.type;
        data->eventData = ev.data;
        data->gpuInstanceId = src->is_mig ? src->gi : 0xFFFFFFFFu;
        data->computeInstanceId = src->is_mig ? src->ci : 0xFFFFFFFFu;
        r = NVML_SUCCESS;
    }
    pthread_mutex_unlock(&fake.lock);
    return r;
}
