/* Fake NVML: library state, init/shutdown and the per-device queries.
 * Exports the versioned entry points (nvmlInit_v2, ..._v2, ..._v3) with NVML's ABI. */
#include "fake_nvml.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct fake_state fake = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .event_cond = PTHREAD_COND_INITIALIZER,
    .hang_cond = PTHREAD_COND_INITIALIZER,
};

int fake_index_of(struct fake_device *d) { return (int)(d - fake.devices); }

struct timespec fake_deadline(unsigned int ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ms / 1000u;
    deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    return deadline;
}

void fake_hang(unsigned int cap_ms)
{
    struct timespec deadline = fake_deadline(cap_ms);

    unsigned long long release = fake.hang_releases;
    fake.hung++;
    pthread_cond_broadcast(&fake.hang_cond);
    while (fake.hang_releases == release) {
        if (pthread_cond_timedwait(&fake.hang_cond, &fake.lock, &deadline) == ETIMEDOUT) break;
    }
    fake.hung--;
    pthread_cond_broadcast(&fake.hang_cond);
}

nvmlReturn_t fake_enter(nvmlDevice_t dev, enum fake_field field, struct fake_device **out)
{
    pthread_mutex_lock(&fake.lock);
    fake.calls++;
    if (fake.init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    /* NVML validates the handle: NULL or a pointer it never handed out is INVALID_ARGUMENT. */
    if (dev == NULL || dev < fake.devices || dev >= fake.devices + FAKE_MAX_DEVICES || !dev->in_use)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (dev->hang_ms[field] > 0) fake_hang(dev->hang_ms[field]);
    if (dev->lost || (dev->is_mig && fake.devices[dev->parent].lost)) return NVML_ERROR_GPU_IS_LOST;
    if (dev->errors[field] != 0) return dev->errors[field];
    *out = dev;
    return NVML_SUCCESS;
}

nvmlReturn_t fake_enter_global(void)
{
    pthread_mutex_lock(&fake.lock);
    fake.calls++;
    return fake.init_count > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
}

void fake_leave(void) { pthread_mutex_unlock(&fake.lock); }

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    fake_seed_from_env();
    pthread_mutex_lock(&fake.lock);
    if (fake.init_hang_ms > 0) fake_hang(fake.init_hang_ms);
    fake.calls++;
    nvmlReturn_t r = fake.init_result;
    if (r == NVML_SUCCESS) fake.init_count++;
    pthread_mutex_unlock(&fake.lock);
    return r;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
    pthread_mutex_lock(&fake.lock);
    nvmlReturn_t r = fake.init_count > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
    /* Tearing NVML down under a thread blocked in nvmlEventSetWait_v2 is the race the agent must avoid. */
    if (fake.init_count > 0 && fake.event_waiters > 0) fake.shutdowns_under_wait++;
    if (fake.init_count > 0) fake.init_count--;
    pthread_cond_broadcast(&fake.event_cond);
    pthread_mutex_unlock(&fake.lock);
    return r;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t r)
{
    switch (r) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NO_PERMISSION: return "Insufficient Permissions";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    default: return "Fake NVML error";
    }
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    ENTER_GLOBAL();
    if (count == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    /* Counts every GPU, including those whose handle cannot be obtained (NO_PERMISSION, lost). */
    *count = (unsigned int)fake.gpu_count;
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    ENTER_GLOBAL();
    if (device == NULL || index >= (unsigned int)fake.gpu_count) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    struct fake_device *d = &fake.devices[fake.gpu_order[index]];
    if (d->errors[F_HANDLE] != 0) LEAVE_RETURN(d->errors[F_HANDLE]);
    if (d->lost) LEAVE_RETURN(NVML_ERROR_GPU_IS_LOST);
    *device = d;
    LEAVE_RETURN(NVML_SUCCESS);
}

static nvmlReturn_t copy_string(const char *src, char *dst, unsigned int length)
{
    if (dst == NULL) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(src) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(dst, src);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t dev, char *name, unsigned int length)
{
    ENTER(dev, F_NAME);
    nvmlReturn_t r = copy_string(d->name, name, length);
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t dev, char *uuid, unsigned int length)
{
    ENTER(dev, F_UUID);
    nvmlReturn_t r = copy_string(d->uuid, uuid, length);
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t dev, nvmlPciInfo_t *pci)
{
    ENTER(dev, F_PCI);
    if (pci == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    memset(pci, 0, sizeof(*pci));
    pci->bus = d->bus;
    pci->pciDeviceId = 0x20B010DEu;
    snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "%04X:%02X:00.0", 0u, d->bus);
    snprintf(pci->busId, sizeof(pci->busId), "%08X:%02X:00.0", 0u, d->bus);
    fake_leave();
    return NVML_SUCCESS;
}

static unsigned long long free_bytes(const struct fake_device *d)
{
    unsigned long long taken = d->reserved + d->used;
    return taken >= d->total ? 0ull : d->total - taken;
}

/* v1: used is reserved + allocated, so total = used + free. */
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t dev, nvmlMemory_t *mem)
{
    ENTER(dev, F_MEMORY);
    if (mem == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    mem->total = d->total;
    mem->free = free_bytes(d);
    mem->used = d->total - mem->free;
    LEAVE_RETURN(NVML_SUCCESS);
}

/* v2 (12.3+ header semantics): used is allocated memory only, reserved is separate: total = reserved + used + free. */
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t dev, nvmlMemory_v2_t *mem)
{
    ENTER(dev, F_MEMORY_V2);
    if (mem == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    if (mem->version != NVML_MEMORY_V2_VERSION) LEAVE_RETURN(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    mem->total = d->total;
    mem->reserved = d->reserved;
    mem->used = d->used;
    mem->free = free_bytes(d);
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t dev, nvmlUtilization_t *util)
{
    ENTER(dev, F_UTIL);
    if (util == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    /* Like the real library: no utilization for MIG devices or MIG-enabled parents. */
    nvmlReturn_t r = NVML_ERROR_NOT_SUPPORTED;
    if (!d->is_mig && d->mig_mode == 0) {
        util->gpu = d->gpu_util;
        util->memory = d->mem_util;
        r = NVML_SUCCESS;
    }
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t dev, int sensor, unsigned int *temp)
{
    ENTER(dev, F_TEMP);
    if (temp == NULL || sensor != 0) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    *temp = d->temp;
    LEAVE_RETURN(NVML_SUCCESS);
}

/* A wrong struct version is ARGUMENT_VERSION_MISMATCH; a bad sensor type is INVALID_ARGUMENT, not a version problem. */
EXPORT nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t dev, nvmlTemperature_t *temp)
{
    ENTER(dev, F_TEMP);
    if (temp == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    if (temp->version != NVML_TEMPERATURE_V_VERSION) LEAVE_RETURN(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    if (temp->sensorType != 0) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    temp->temperature = (int)d->temp;
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t dev, unsigned int *mw)
{
    ENTER(dev, F_POWER);
    if (mw == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    *mw = d->power_mw;
    fake_leave();
    return NVML_SUCCESS;
}

/* nvmlDeviceGetCurrentClocksEventReasons (12.2+ header) and its deprecated (13.0) alias share one signature. */
EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t dev, unsigned long long *reasons)
{
    ENTER(dev, F_CLOCKS);
    if (reasons == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    *reasons = d->clock_reasons;
    LEAVE_RETURN(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t dev, unsigned long long *reasons)
{
    ENTER(dev, F_CLOCKS);
    if (d->errors[F_CLOCKS_LEGACY] != 0) LEAVE_RETURN(d->errors[F_CLOCKS_LEGACY]);
    if (reasons == NULL) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    *reasons = d->clock_reasons;
    LEAVE_RETURN(NVML_SUCCESS);
}
