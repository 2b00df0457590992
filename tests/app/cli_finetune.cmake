# End-to-end fine-tuning from the command line: a model trained on one spiral sample is
# fine-tuned on another (new head, features frozen) and compared with the same network trained
# from scratch; the saved model keeps its frozen layers. An ONNX file fine-tunes too, and a
# branching ONNX graph is refused with a message.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "command failed (${code}): ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

file(WRITE ${WORK}/net.json [=[
{"input_shape": [2], "layers": [
  {"type": "Dense", "units": 32, "activation": "relu"},
  {"type": "Dense", "units": 32, "activation": "relu"},
  {"type": "Dense", "units": 3}]}
]=])
run(${CLI} train --model ${WORK}/net.json --data "spiral?n=600&noise=0.1&classes=3&seed=1" --epochs 150 --batch 32
    --lr 0.01 --validation-split 0 --seed 7 --save ${WORK}/pretrained.llmodel)

run(${CLI} finetune --model ${WORK}/pretrained.llmodel --data "spiral?n=300&noise=0.1&classes=3&seed=9"
    --replace-head --compare-scratch --epochs 3 --batch 16 --lr 0.05 --seed 3
    --save ${WORK}/finetuned.llmodel --log ${WORK}/both.csv)
string(REGEX MATCH "fine-tune: val_loss [0-9.]+, val_accuracy ([0-9.]+)" _ "${output}")
set(fine "${CMAKE_MATCH_1}")
string(REGEX MATCH "scratch: val_loss [0-9.]+, val_accuracy ([0-9.]+)" _ "${output}")
set(scratch "${CMAKE_MATCH_1}")
if(NOT fine OR NOT scratch)
  message(FATAL_ERROR "finetune did not print both runs' final metrics:\n${output}")
endif()
if(NOT fine GREATER scratch)
  message(FATAL_ERROR "the fine-tuned model (${fine}) should beat scratch (${scratch}) on the same task:\n${output}")
endif()
file(STRINGS ${WORK}/both.csv lines)
list(GET lines 0 header)
if(NOT header MATCHES "^run,step,epoch,loss,accuracy")
  message(FATAL_ERROR "both.csv header is '${header}'")
endif()
if(NOT lines MATCHES "fine-tune," OR NOT lines MATCHES "scratch,")
  message(FATAL_ERROR "both.csv lacks one of the runs")
endif()

run(${CLI} summary ${WORK}/finetuned.llmodel)
if(NOT output MATCHES "\\[frozen\\]" OR NOT output MATCHES "Trainable params: 99\n")
  message(FATAL_ERROR "the saved fine-tuned model lost its frozen layers:\n${output}")
endif()

# Freezing a range and no comparison; an ONNX model with its own head size kept.
run(${CLI} finetune --model ${ONNX_DIR}/transfer/chain_ops.onnx --data "shapes?n=40&size=12&seed=2" --replace-head
    --freeze 0-3 --epochs 1 --batch 8)
if(NOT output MATCHES "val_accuracy: ")
  message(FATAL_ERROR "fine-tuning the ONNX model printed no validation accuracy:\n${output}")
endif()

execute_process(COMMAND ${CLI} finetune --model ${ONNX_DIR}/transfer/branching.onnx --data "spiral?n=50"
                RESULT_VARIABLE code ERROR_VARIABLE err)
if(code EQUAL 0 OR NOT err MATCHES "branch")
  message(FATAL_ERROR "a branching ONNX graph must be refused with a message: ${err}")
endif()
execute_process(COMMAND ${CLI} finetune --model ${WORK}/pretrained.llmodel --data "spiral?n=50" --freeze 7-99
                RESULT_VARIABLE code ERROR_VARIABLE err)
if(code EQUAL 0 OR NOT err MATCHES "7-99")
  message(FATAL_ERROR "a bad --freeze must be refused naming it: ${err}")
endif()
