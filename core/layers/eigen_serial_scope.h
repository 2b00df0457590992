#pragma once
// EigenSerialScope: while alive, Eigen products started by this thread run on this thread only.
//
// Layers split their work over their own OpenMP team, or decide that a product is too small to
// be worth a second thread. Eigen would still thread such a product on its own heuristic, and its
// threaded GEMM waits for the other thread by spinning: with OMP_WAIT_POLICY=passive that thread
// must first be woken, which costs more than the product (a 64x120x84 Dense forward took 128 us
// threaded, 20 us serial). Eigen reads the thread count from omp_get_max_threads(), a per-thread
// setting, so other threads are unaffected.

#include <omp.h>

namespace layerlens::core {

class EigenSerialScope {
public:
    EigenSerialScope()
        : m_saved(omp_get_max_threads())
    {
        omp_set_num_threads(1);
    }
    ~EigenSerialScope() { omp_set_num_threads(m_saved); }
    EigenSerialScope(const EigenSerialScope&) = delete;
    EigenSerialScope& operator=(const EigenSerialScope&) = delete;

private:
    int m_saved;
};

}  // namespace layerlens::core
