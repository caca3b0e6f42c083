Attribute VB_Name = "XlsalesButtons"
' The buttons of an xlsales workbook. Each one hands its work to Python through
' xlwings' RunPython; the work, and every message the user sees (in the
' workbook's language), happen in Python: xlsales.excel.macros.
' Kept as text in vba/ and built into every .xlsm by xlsales (xlsales.build.macros);
' change it here, not in the VBA editor. ASCII only.
Option Explicit

Public Sub XlsalesValidate()
    RunPython "import xlsales.excel.macros as m; m.validate()"
End Sub

Public Sub XlsalesComputeKpis()
    RunPython "import xlsales.excel.macros as m; m.compute_kpis()"
End Sub

Public Sub XlsalesGeneratePlan()
    RunPython "import xlsales.excel.macros as m; m.generate_plan()"
End Sub

Public Sub XlsalesStartNextPeriod()
    RunPython "import xlsales.excel.macros as m; m.start_next_period()"
End Sub
