/* Fake NVML: nvmlDeviceGetComputeRunningProcesses_v3 with NVML's size-then-fill protocol.
 * On a MIG-enabled GPU handle NVML returns the aggregate of every MIG instance (each entry carries its GI/CI);
 * a MIG device handle returns only that instance's processes. */
#include "fake_nvml.h"

#include <stddef.h>

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

/* The processes a handle reports: its own, plus every MIG child's when it is a MIG-enabled GPU. */
static unsigned int collect(const struct fake_device *d, struct fake_process *out)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < d->nprocs && n < FAKE_MAX_PROCS; i++) out[n++] = d->procs[i];
    if (d->is_mig || !d->mig_mode) return n;
    for (int c = 0; c < FAKE_MAX_MIG; c++) {
        if (d->mig_children[c] <= 0) continue;
        const struct fake_device *child = &fake.devices[d->mig_children[c] - 1];
        for (unsigned int i = 0; i < child->nprocs && n < FAKE_MAX_PROCS; i++) out[n++] = child->procs[i];
    }
    return n;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t dev, unsigned int *count,
                                                            nvmlProcessInfo_t *infos)
{
    ENTER(dev, F_PROCS);
    /* A NULL buffer is only valid for the sizing call (*count == 0). */
    if (count == NULL || (infos == NULL && *count > 0)) LEAVE_RETURN(NVML_ERROR_INVALID_ARGUMENT);
    if (infos != NULL && d->errors[F_PROCS_FILL] != 0) LEAVE_RETURN(d->errors[F_PROCS_FILL]);
    /* The list "changes" between the sizing call and the fill call when a test asks for it. */
    if (*count > 0 && d->grow_procs_once > 0) {
        for (unsigned int i = 0; i < d->grow_procs_once; i++) add_process(d, 90000u + i, 1u << 20);
        d->grow_procs_once = 0;
    }
    static struct fake_process all[FAKE_MAX_PROCS]; /* guarded by fake.lock */
    unsigned int n = collect(d, all);
    nvmlReturn_t r = NVML_SUCCESS;
    if (*count < n) {
        r = NVML_ERROR_INSUFFICIENT_SIZE;
    } else {
        for (unsigned int i = 0; i < n; i++) {
            infos[i].pid = all[i].pid;
            infos[i].usedGpuMemory = all[i].mem;
            infos[i].gpuInstanceId = all[i].gi;
            infos[i].computeInstanceId = all[i].ci;
        }
    }
    *count = n;
    LEAVE_RETURN(r);
}
