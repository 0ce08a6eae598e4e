/* Fake NVML: MIG queries and the event-set API used for XID events. */
#include "fake_nvml.h"

#include <errno.h>
#include <time.h>

typedef struct fake_event_set *nvmlEventSet_t;

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

/* One event set at a time; its handle is the address of fake.event_set_open. */
static int valid_set(nvmlEventSet_t set) { return set == (nvmlEventSet_t)&fake.event_set_open && fake.event_set_open; }

static void clear_registrations(void)
{
    for (int i = 0; i < FAKE_MAX_DEVICES; i++) fake.devices[i].event_mask = 0;
    fake.event_len = 0;
}

EXPORT nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set)
{
    ENTER_GLOBAL();
    if (set == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    fake.event_set_open = 1;
    fake.event_set_broken = 0;
    clear_registrations();
    *set = (nvmlEventSet_t)&fake.event_set_open;
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set)
{
    ENTER_GLOBAL();
    if (!valid_set(set)) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    fake.event_set_open = 0;
    fake.event_set_broken = 0;
    clear_registrations(); /* Devices registered to a freed set deliver nothing. */
    pthread_cond_broadcast(&fake.event_cond);
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t dev, unsigned long long *types)
{
    ENTER(dev, F_EVENTS);
    if (types == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    *types = 0x1ull | 0x2ull | 0x4ull | 0x8ull | 0x10ull;
    LEAVE_RETURN(NVML_SUCCESS);
}

/* UNKNOWN (scripted through F_REGISTER) leaves the set in an undefined state, as NVML documents: modelled as a set
 * whose every later wait fails with UNKNOWN until it is freed. */
EXPORT nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t dev, unsigned long long mask, nvmlEventSet_t set)
{
    ENTER(dev, F_EVENTS);
    if (!valid_set(set)) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    nvmlReturn_t scripted = d->errors[F_REGISTER];
    if (scripted == NVML_ERROR_UNKNOWN) fake.event_set_broken = 1;
    if (scripted != 0) LEAVE_RETURN(scripted);
    d->event_mask |= mask;
    LEAVE_RETURN(NVML_SUCCESS);
}

/* Not counted in fake_nvml_call_count: the XID watcher polls it on its own thread. */
EXPORT nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeout_ms)
{
    struct timespec deadline = fake_deadline(timeout_ms);

    pthread_mutex_lock(&fake.lock);
    if (fake.init_count <= 0) { pthread_mutex_unlock(&fake.lock); return NVML_ERROR_UNINITIALIZED; }
    if (!valid_set(set) || data == NULL) { pthread_mutex_unlock(&fake.lock); return NVML_ERROR_INVALID_ARGUMENT; }
    fake.event_waiters++;
    if (fake.event_wait_hang_ms > 0) fake_hang(fake.event_wait_hang_ms);
    nvmlReturn_t r = NVML_ERROR_TIMEOUT;
    while (fake.init_count > 0 && fake.event_set_open && !fake.event_set_broken && fake.event_len == 0) {
        if (pthread_cond_timedwait(&fake.event_cond, &fake.lock, &deadline) == ETIMEDOUT) break;
    }
    if (fake.init_count <= 0) {
        r = NVML_ERROR_UNINITIALIZED;
    } else if (fake.event_set_broken) {
        r = NVML_ERROR_UNKNOWN;
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
    fake.event_waiters--;
    pthread_mutex_unlock(&fake.lock);
    return r;
}
