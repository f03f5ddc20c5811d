"""The sheets of 汇总.xlsx, one module each: 报送情况, 问题清单, 汇总表, 明细 and 图表."""
