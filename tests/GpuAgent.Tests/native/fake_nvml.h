/* Fake NVML for the GPU agent tests: shared types and state.
 * Struct layouts follow NVIDIA's published nvml.h facts (x86-64 Linux) as recorded in
 * docs/gpu-agent.md; they are written here from those facts, not copied from any header. */
#ifndef FAKE_NVML_H
#define FAKE_NVML_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef int nvmlReturn_t;

enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NO_PERMISSION = 4,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_TIMEOUT = 10,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_UNKNOWN = 999
};

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { unsigned int version; int sensorType; int temperature; } nvmlTemperature_t;
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;
typedef struct {
    char busIdLegacy[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;

struct fake_device;
typedef struct fake_device *nvmlDevice_t;
typedef struct {
    nvmlDevice_t device;
    unsigned long long eventType;
    unsigned long long eventData;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlEventData_t;

#define NVML_MEMORY_V2_VERSION 0x02000028u
#define NVML_TEMPERATURE_V_VERSION 0x0100000Cu
#define FAKE_MAX_DEVICES 64
#define FAKE_MAX_PROCS 256
#define FAKE_MAX_MIG 7
#define FAKE_MAX_EVENTS 64

/* Per-call fields whose return code and delay the tests can script. */
enum fake_field {
    F_NAME, F_UUID, F_PCI, F_MEMORY, F_MEMORY_V2, F_UTIL, F_TEMP, F_POWER,
    F_PROCS, F_MIG_MODE, F_CLOCKS, F_EVENTS,
    F_HANDLE,        /* nvmlDeviceGetHandleByIndex_v2 for this GPU's index */
    F_REGISTER,      /* nvmlDeviceRegisterEvents; UNKNOWN leaves the event set undefined, as in NVML */
    F_CLOCKS_LEGACY, /* only the deprecated nvmlDeviceGetCurrentClocksThrottleReasons symbol */
    F_PROCS_FILL,    /* only the fill call (non-NULL buffer) of the process query, e.g. MIG reconfigured in between */
    F_COUNT
};

struct fake_process { unsigned int pid; unsigned long long mem; unsigned int gi, ci; };

/* Memory follows NVML's v2 model: total = reserved + used + free, where used is allocated memory only.
 * The v1 struct reports used = reserved + allocated (= total - free). */
struct fake_device {
    int in_use, is_mig, parent, lost;
    char uuid[96], name[96];
    unsigned long long total, used, reserved, clock_reasons, event_mask;
    unsigned int gpu_util, mem_util, temp, power_mw, bus;
    unsigned int mig_mode, gi, ci;
    int mig_children[FAKE_MAX_MIG];
    int errors[F_COUNT];
    unsigned int hang_ms[F_COUNT];
    struct fake_process procs[FAKE_MAX_PROCS];
    unsigned int nprocs, grow_procs_once;
};

struct fake_event { int device; unsigned long long type, data; };

struct fake_state {
    pthread_mutex_t lock;
    pthread_cond_t event_cond;
    pthread_cond_t hang_cond;        /* signalled when a thread starts or stops hanging, and on release */
    struct fake_device devices[FAKE_MAX_DEVICES];
    int gpu_order[FAKE_MAX_DEVICES];
    int gpu_count;
    int init_count;
    nvmlReturn_t init_result;
    unsigned int init_hang_ms;
    unsigned long long calls;
    struct fake_event events[FAKE_MAX_EVENTS];
    int event_head, event_len;
    int event_set_open;
    int event_set_broken;            /* a registration returned UNKNOWN: the set is undefined until freed */
    int event_waiters;               /* threads inside nvmlEventSetWait_v2 */
    unsigned int event_wait_hang_ms; /* scripted: a wait blocks this long regardless of its timeout */
    int shutdowns_under_wait;        /* nvmlShutdown calls made while a thread was inside nvmlEventSetWait_v2 */
    int hung;                        /* threads inside a scripted hang now */
    unsigned long long hang_releases; /* bumped by fake_nvml_release_hangs: every hung thread returns */
};

extern struct fake_state fake;

/* CLOCK_REALTIME now + ms, for pthread_cond_timedwait. */
struct timespec fake_deadline(unsigned int ms);
/* A scripted hang, called with fake.lock held (released while blocked): the thread blocks until the test calls
 * fake_nvml_release_hangs, or at most cap_ms as a safety net, so tests synchronize on it instead of sleeping. */
void fake_hang(unsigned int cap_ms);
/* Counts one NVML call, takes the lock, blocks for a scripted hang and validates the handle
 * (NULL or unknown handles give INVALID_ARGUMENT, as in NVML). Always pair with fake_leave. */
nvmlReturn_t fake_enter(nvmlDevice_t dev, enum fake_field field, struct fake_device **out);
/* The same for calls that take no device handle: counts the call, takes the lock, checks initialization. */
nvmlReturn_t fake_enter_global(void);
void fake_leave(void);
int fake_index_of(struct fake_device *d);
void fake_seed_from_env(void);

#define ENTER(dev, field)                                   \
    struct fake_device *d = NULL;                           \
    nvmlReturn_t r_ = fake_enter((dev), (field), &d);       \
    if (r_ != NVML_SUCCESS) { fake_leave(); return r_; }

#define ENTER_GLOBAL()                                      \
    nvmlReturn_t r_ = fake_enter_global();                  \
    if (r_ != NVML_SUCCESS) { fake_leave(); return r_; }

#define LEAVE_RETURN(r) do { nvmlReturn_t rv_ = (r); fake_leave(); return rv_; } while (0)

#endif
