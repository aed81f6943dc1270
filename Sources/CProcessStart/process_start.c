// Why this file exists: a one-page rebuild of 2,000 pages takes ~50 ms, and a quarter of it
// was the kernel flushing TLBs. The Swift runtime fills its caches (metadata, witness
// tables, lazy globals, `swift_once` tokens) in the executable's .data and .bss on first
// use, from whichever thread gets there first. The first write to such a page is a
// copy-on-write fault; once the cooperative pool has a thread on the other core, every
// one of those faults sends it an inter-processor interrupt and waits for it, and in a
// virtual machine whose other vCPU is idle that wait is long (perf: 26 % of the samples in
// `smp_call_function_many_cond` under `ptep_clear_flush`). Faulting those pages in here,
// before `main` and before any thread exists, costs a few hundred page copies on one core
// and no interrupt. The same goes for the shared libraries' writable data.
//
// glibc's allocator, left to itself, returns big blocks to the kernel with `munmap` and
// trims heaps with `madvise`: both flush TLBs on every core too, during the build, for
// memory the build asks back a moment later. Keeping it until exit costs no extra peak.
#define _GNU_SOURCE
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "process_start.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; on older kernels the call fails and nothing changes
#endif

// The executable's .data through .bss (the linker's names). Its writable segment also holds
// a large .rodata (ICU data) that is never written: faulting that in would copy 37 MB.
extern char __data_start[], _end[];

static void populate(uintptr_t start, uintptr_t end, uintptr_t page) {
    start &= ~(page - 1);
    end = (end + page - 1) & ~(page - 1);
    if (end > start) madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}

/// A shared library's writable segment past its RELRO part (read-only by now).
static int populate_library(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    uintptr_t page = *(uintptr_t *)data;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0') return 0;  // the executable
    uintptr_t relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *h = &info->dlpi_phdr[i];
        if (h->p_type == PT_GNU_RELRO) relro_end = info->dlpi_addr + h->p_vaddr + h->p_memsz;
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *h = &info->dlpi_phdr[i];
        if (h->p_type != PT_LOAD || !(h->p_flags & PF_W)) continue;
        uintptr_t start = info->dlpi_addr + h->p_vaddr, end = start + h->p_memsz;
        if (relro_end > start) start = relro_end;
        // RELRO's end need not be page-aligned: its last page is read-only.
        start = (start + page - 1) & ~(page - 1);
        populate(start, end, page);
    }
    return 0;
}

__attribute__((constructor)) static void labgen_process_start(void) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    populate((uintptr_t)__data_start, (uintptr_t)_end, page);
    dl_iterate_phdr(populate_library, &page);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX);
}

void labgen_process_start_linked(void) {}
