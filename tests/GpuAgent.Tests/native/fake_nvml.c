/* Fake NVML: library state, init/shutdown and the per-device queries.
 * Exports the versioned entry points (nvmlInit_v2, ..._v2, ..._v3) with NVML's ABI. */
#include "fake_nvml.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct fake_state fake = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .event_cond = PTHREAD_COND_INITIALIZER,
};

int fake_index_of(struct fake_device *d) { return (int)(d - fake.devices); }

nvmlReturn_t fake_enter(nvmlDevice_t dev, enum fake_field field, struct fake_device **out)
{
    pthread_mutex_lock(&fake.lock);
    fake.calls++;
    if (fake.init_count <= 0) return NVML_ERROR_UNINITIALIZED;
    if (dev == NULL) return NVML_SUCCESS;
    if (dev < fake.devices || dev >= fake.devices + FAKE_MAX_DEVICES || !dev->in_use)
        return NVML_ERROR_INVALID_ARGUMENT;
    unsigned int hang = dev->hang_ms[field];
    if (hang > 0) {
        pthread_mutex_unlock(&fake.lock);
        usleep(hang * 1000u);
        pthread_mutex_lock(&fake.lock);
    }
    if (dev->lost || (dev->is_mig && fake.devices[dev->parent].lost)) return NVML_ERROR_GPU_IS_LOST;
    if (dev->errors[field] != 0) return dev->errors[field];
    *out = dev;
    return NVML_SUCCESS;
}

void fake_leave(void) { pthread_mutex_unlock(&fake.lock); }

#define ENTER(dev, field)                                   \
    struct fake_device *d = NULL;                           \
    nvmlReturn_t r_ = fake_enter((dev), (field), &d);       \
    if (r_ != NVML_SUCCESS) { fake_leave(); return r_; }

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    fake_seed_from_env();
    pthread_mutex_lock(&fake.lock);
    unsigned int hang = fake.init_hang_ms;
    pthread_mutex_unlock(&fake.lock);
    if (hang > 0) usleep(hang * 1000u);
    pthread_mutex_lock(&fake.lock);
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
    if (fake.init_count > 0) fake.init_count--;
    pthread_mutex_unlock(&fake.lock);
    return r;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t r)
{
    switch (r) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    default: return "Fake NVML error";
    }
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    ENTER(NULL, F_NAME);
    *count = (unsigned int)fake.gpu_count;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    ENTER(NULL, F_NAME);
    nvmlReturn_t r = NVML_ERROR_INVALID_ARGUMENT;
    if (index < (unsigned int)fake.gpu_count) {
        *device = &fake.devices[fake.gpu_order[index]];
        r = NVML_SUCCESS;
    }
    fake_leave();
    return r;
}

static nvmlReturn_t copy_string(const char *src, char *dst, unsigned int length)
{
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
    memset(pci, 0, sizeof(*pci));
    pci->bus = d->bus;
    pci->pciDeviceId = 0x20B010DEu;
    snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "%04X:%02X:00.0", 0u, d->bus);
    snprintf(pci->busId, sizeof(pci->busId), "%08X:%02X:00.0", 0u, d->bus);
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t dev, nvmlMemory_t *mem)
{
    ENTER(dev, F_MEMORY);
    mem->total = d->total;
    mem->used = d->used;
    mem->free = d->total - d->used;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t dev, nvmlMemory_v2_t *mem)
{
    ENTER(dev, F_MEMORY_V2);
    nvmlReturn_t r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    if (mem->version == NVML_MEMORY_V2_VERSION) {
        mem->total = d->total;
        mem->reserved = d->reserved;
        mem->used = d->used;
        mem->free = d->total - d->used;
        r = NVML_SUCCESS;
    }
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t dev, nvmlUtilization_t *util)
{
    ENTER(dev, F_UTIL);
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
    nvmlReturn_t r = sensor == 0 ? NVML_SUCCESS : NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS) *temp = d->temp;
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t dev, nvmlTemperature_t *temp)
{
    ENTER(dev, F_TEMP);
    nvmlReturn_t r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    if (temp->version == NVML_TEMPERATURE_V_VERSION && temp->sensorType == 0) {
        temp->temperature = (int)d->temp;
        r = NVML_SUCCESS;
    }
    fake_leave();
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t dev, unsigned int *mw)
{
    ENTER(dev, F_POWER);
    *mw = d->power_mw;
    fake_leave();
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t dev, unsigned long long *reasons)
{
    ENTER(dev, F_CLOCKS);
    *reasons = d->clock_reasons;
    fake_leave();
    return NVML_SUCCESS;
}

static void add_process(struct fake_device *d, unsigned int pid, unsigned long long mem)
{
    if (d->nprocs >= FAKE_MAX_PROCS) return;
    struct fake_process *p = &d->procs[d->nprocs++];
    p->pid = pid;
    p->mem = mem;
    p->gi = d->is_mig ? d->gi : 0xFFFFFFFFu;
    p->ci = d->is_mig ? d->ci : 0xFFFFFFFFu;
}

void fake_add_process(struct fake_device *d, unsigned int pid, unsigned long long mem) { add_process(d, pid, mem); }

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t dev, unsigned int *count,
                                                            nvmlProcessInfo_t *infos)
{
    ENTER(dev, F_PROCS);
    /* The list "changes" between the sizing call and the fill call when a test asks for it. */
    if (*count > 0 && d->grow_procs_once > 0) {
        for (unsigned int i = 0; i < d->grow_procs_once; i++) add_process(d, 90000u + i, 1u << 20);
        d->grow_procs_once = 0;
    }
    nvmlReturn_t r = NVML_SUCCESS;
    if (*count < d->nprocs) {
        r = NVML_ERROR_INSUFFICIENT_SIZE;
    } else {
        for (unsigned int i = 0; i < d->nprocs; i++) {
            infos[i].pid = d->procs[i].pid;
            infos[i].usedGpuMemory = d->procs[i].mem;
            infos[i].gpuInstanceId = d->procs[i].gi;
            infos[i].computeInstanceId = d->procs[i].ci;
        }
    }
    *count = d->nprocs;
    fake_leave();
    return r;
}
