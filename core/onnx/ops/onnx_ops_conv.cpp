// Conv (any number of spatial dimensions, groups incl. depthwise, auto_pad, strides,
// dilations, optional bias) via im2col + Eigen GEMM, and ConvTranspose via GEMM + col2im.

#include <Eigen/Core>

#include "core/layers/winograd_conv3x3.h"
#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

OnnxShape kernelShape(const OnnxOpContext& ctx, const OnnxTensor& w)
{
    OnnxShape kernel = ctx.node.attrInts("kernel_shape", OnnxShape(w.shape.begin() + 2, w.shape.end()));
    if (kernel != OnnxShape(w.shape.begin() + 2, w.shape.end()))
        ctx.fail("kernel_shape " + onnxShapeToString(kernel) + " differs from the weight shape " + onnxShapeToString(w.shape));
    return kernel;
}

std::vector<OnnxTensor> runConv(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);  // (N, C, D1..Dn)
    const OnnxTensor& w = ctx.input(1);  // (M, C/group, k1..kn)
    const OnnxTensor* b = ctx.optionalInput(2);  // (M)
    if (x.rank() < 3 || w.rank() != x.rank())
        ctx.fail("X " + onnxShapeToString(x.shape) + " and W " + onnxShapeToString(w.shape) + " must have the same rank >= 3");
    const std::int64_t group = ctx.node.attrInt("group", 1);
    const std::int64_t batch = x.shape[0];
    const std::int64_t channels = x.shape[1];
    const std::int64_t filters = w.shape[0];
    if (group <= 0 || channels % group != 0 || filters % group != 0 || w.shape[1] * group != channels)
        ctx.fail("channels " + std::to_string(channels) + ", weight " + onnxShapeToString(w.shape) + " and group "
                 + std::to_string(group) + " do not fit together");
    if (b != nullptr && b->size() != static_cast<std::size_t>(filters))
        ctx.fail("bias has " + std::to_string(b->size()) + " values for " + std::to_string(filters) + " filters");

    const OnnxShape spatial(x.shape.begin() + 2, x.shape.end());
    const detail::WindowGeometry g = detail::windowGeometry(ctx, spatial, kernelShape(ctx, w), false);
    if (group == 1 && spatial.size() == 2 && g.kernel == OnnxShape{3, 3} && g.strides == OnnxShape{1, 1}
        && g.dilations == OnnxShape{1, 1} && WinogradConv3x3::worthwhile(static_cast<int>(channels), static_cast<int>(filters))) {
        // VGG-style 3x3 layers: the trained engine's Winograd convolution (2.25x fewer
        // multiplications than the general im2col below, and threaded).
        OnnxTensor y;
        y.shape = {batch, filters, g.out[0], g.out[1]};
        y.floats.resize(onnxShapeSize(y.shape));
        std::vector<float> fxScratch, fwScratch;
        const float* fx = detail::floatData(x, fxScratch);
        const float* fw = detail::floatData(w, fwScratch);
        const std::vector<float> fb = b != nullptr ? b->toFloats() : std::vector<float>();
        const WinogradConv3x3::Geometry wg{static_cast<int>(channels),   static_cast<int>(spatial[0]),
                                           static_cast<int>(spatial[1]), static_cast<int>(filters),
                                           static_cast<int>(g.padBegin[0]), static_cast<int>(g.padBegin[1]),
                                           static_cast<int>(g.out[0]),    static_cast<int>(g.out[1])};
        // One per thread, kept between calls: its workspaces (the transformed kernel alone is
        // 16 MB for a 512x512 layer) are then reused instead of freshly page-faulted each time.
        thread_local WinogradConv3x3 winograd;
        winograd.run(wg, fw, b != nullptr ? fb.data() : nullptr, fx, static_cast<int>(batch), y.floats.data());
        return {y};
    }
    const std::vector<std::int64_t> table = detail::windowIndexTable(g);
    const std::int64_t kernelSize = static_cast<std::int64_t>(g.kernelSize());
    const std::int64_t inSize = static_cast<std::int64_t>(g.inSize());
    const std::int64_t outSize = static_cast<std::int64_t>(g.outSize());
    const std::int64_t cPerGroup = channels / group;
    const std::int64_t mPerGroup = filters / group;

    OnnxTensor y;
    y.shape = {batch, filters};
    y.shape.insert(y.shape.end(), g.out.begin(), g.out.end());
    y.floats.assign(onnxShapeSize(y.shape), 0.0f);
    std::vector<float> fxScratch;
    const float* fx = detail::floatData(x, fxScratch);
    std::vector<float> fwScratch;
    const float* fw = detail::floatData(w, fwScratch);
    RowMatrix columns(cPerGroup * kernelSize, outSize);  // im2col workspace, one group
    for (std::int64_t n = 0; n < batch; ++n) {
        for (std::int64_t gi = 0; gi < group; ++gi) {
            const float* image = fx + (n * channels + gi * cPerGroup) * inSize;
            for (std::int64_t c = 0; c < cPerGroup; ++c) {
                for (std::int64_t kp = 0; kp < kernelSize; ++kp) {
                    float* row = columns.data() + (c * kernelSize + kp) * outSize;
                    const std::int64_t* index = table.data() + kp * outSize;
                    const float* plane = image + c * inSize;
                    for (std::int64_t op = 0; op < outSize; ++op)
                        row[op] = index[op] >= 0 ? plane[index[op]] : 0.0f;
                }
            }
            Map out(y.floats.data() + (n * filters + gi * mPerGroup) * outSize, mPerGroup, outSize);
            out.noalias() = ConstMap(fw + gi * mPerGroup * cPerGroup * kernelSize, mPerGroup, cPerGroup * kernelSize) * columns;
        }
        if (b != nullptr) {
            const std::vector<float> fb = b->toFloats();
            for (std::int64_t m = 0; m < filters; ++m) {
                float* plane = y.floats.data() + (n * filters + m) * outSize;
                for (std::int64_t op = 0; op < outSize; ++op)
                    plane[op] += fb[static_cast<std::size_t>(m)];
            }
        }
    }
    return {y};
}

std::vector<OnnxTensor> runConvTranspose(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);  // (N, C, D1..Dn)
    const OnnxTensor& w = ctx.input(1);  // (C, M/group, k1..kn)
    const OnnxTensor* b = ctx.optionalInput(2);  // (M)
    if (x.rank() < 3 || w.rank() != x.rank())
        ctx.fail("X " + onnxShapeToString(x.shape) + " and W " + onnxShapeToString(w.shape) + " must have the same rank >= 3");
    const std::int64_t group = ctx.node.attrInt("group", 1);
    const std::int64_t batch = x.shape[0];
    const std::int64_t channels = x.shape[1];
    if (group <= 0 || w.shape[0] != channels || channels % group != 0)
        ctx.fail("channels " + std::to_string(channels) + ", weight " + onnxShapeToString(w.shape) + " and group "
                 + std::to_string(group) + " do not fit together");
    const std::int64_t mPerGroup = w.shape[1];
    const std::int64_t filters = mPerGroup * group;
    const std::int64_t cPerGroup = channels / group;
    const std::size_t nd = static_cast<std::size_t>(x.rank() - 2);

    const OnnxShape inSpatial(x.shape.begin() + 2, x.shape.end());
    const OnnxShape kernel = kernelShape(ctx, w);
    OnnxShape strides = ctx.node.attrInts("strides", OnnxShape(nd, 1));
    OnnxShape dilations = ctx.node.attrInts("dilations", OnnxShape(nd, 1));
    OnnxShape outputPadding = ctx.node.attrInts("output_padding", OnnxShape(nd, 0));
    OnnxShape pads = ctx.node.attrInts("pads", OnnxShape(2 * nd, 0));
    OnnxShape outputShape = ctx.node.attrInts("output_shape", {});
    if (outputShape.size() == nd + 2)  // some exporters give (N, M, spatial...)
        outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
    const std::string autoPad = ctx.node.attrString("auto_pad", "NOTSET");
    if (strides.size() != nd || dilations.size() != nd || outputPadding.size() != nd || pads.size() != 2 * nd
        || (!outputShape.empty() && outputShape.size() != nd))
        ctx.fail("strides/dilations/output_padding/pads/output_shape do not match " + std::to_string(nd) + " spatial dimensions");

    // The transposed convolution is the adjoint of a convolution from Y's spatial size to
    // X's: geometry "in" = Y spatial, "out" = X spatial.
    detail::WindowGeometry g;
    g.kernel = kernel;
    g.strides = strides;
    g.dilations = dilations;
    g.out = inSpatial;
    g.in.resize(nd);
    g.padBegin.resize(nd);
    g.padEnd.resize(nd);
    for (std::size_t d = 0; d < nd; ++d) {
        const std::int64_t full = strides[d] * (inSpatial[d] - 1) + outputPadding[d] + (kernel[d] - 1) * dilations[d] + 1;
        const bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
        if (!outputShape.empty() || same) {
            const std::int64_t target = !outputShape.empty() ? outputShape[d] : inSpatial[d] * strides[d];
            const std::int64_t total = full - target;  // negative when output_shape asks for more
            // Spec (with Python's floor division): SAME_UPPER puts the odd padding at the
            // end, otherwise at the start.
            const std::int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
            g.padBegin[d] = autoPad == "SAME_UPPER" ? half : total - half;
            g.padEnd[d] = total - g.padBegin[d];
            g.in[d] = target;
        } else {
            g.padBegin[d] = pads[d];
            g.padEnd[d] = pads[d + nd];
            g.in[d] = full - pads[d] - pads[d + nd];
        }
        if (g.in[d] <= 0)
            ctx.fail("output size would be " + std::to_string(g.in[d]));
    }
    const std::vector<std::int64_t> table = detail::windowIndexTable(g);
    const std::int64_t kernelSize = static_cast<std::int64_t>(g.kernelSize());
    const std::int64_t xSize = static_cast<std::int64_t>(g.outSize());
    const std::int64_t ySize = static_cast<std::int64_t>(g.inSize());

    OnnxTensor y;
    y.shape = {batch, filters};
    y.shape.insert(y.shape.end(), g.in.begin(), g.in.end());
    y.floats.assign(onnxShapeSize(y.shape), 0.0f);
    std::vector<float> fxScratch;
    const float* fx = detail::floatData(x, fxScratch);
    std::vector<float> fwScratch;
    const float* fw = detail::floatData(w, fwScratch);
    RowMatrix columns(mPerGroup * kernelSize, xSize);
    for (std::int64_t n = 0; n < batch; ++n) {
        for (std::int64_t gi = 0; gi < group; ++gi) {
            // W_g viewed as (C/group, M/group * K); columns = W_g^T * X_g.
            const ConstMap wg(fw + gi * cPerGroup * mPerGroup * kernelSize, cPerGroup, mPerGroup * kernelSize);
            const ConstMap xg(fx + (n * channels + gi * cPerGroup) * xSize, cPerGroup, xSize);
            columns.noalias() = wg.transpose() * xg;
            for (std::int64_t m = 0; m < mPerGroup; ++m) {
                float* plane = y.floats.data() + (n * filters + gi * mPerGroup + m) * ySize;
                for (std::int64_t kp = 0; kp < kernelSize; ++kp) {
                    const float* row = columns.data() + (m * kernelSize + kp) * xSize;
                    const std::int64_t* index = table.data() + kp * xSize;
                    for (std::int64_t ip = 0; ip < xSize; ++ip)
                        if (index[ip] >= 0)
                            plane[index[ip]] += row[ip];
                }
            }
        }
        if (b != nullptr) {
            const std::vector<float> fb = b->toFloats();
            for (std::int64_t m = 0; m < filters; ++m) {
                float* plane = y.floats.data() + (n * filters + m) * ySize;
                for (std::int64_t i = 0; i < ySize; ++i)
                    plane[i] += fb[static_cast<std::size_t>(m)];
            }
        }
    }
    return {y};
}

}  // namespace

void registerOnnxConvOps(OnnxOpRegistry& registry)
{
    registry.add("Conv", runConv);
    registry.add("ConvTranspose", runConvTranspose);
}

}  // namespace layerlens::core
