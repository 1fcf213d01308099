; LlamaDesk per-user installer (NSIS 3).  Built by packaging/build.py:
;   makensis -DVERSION=0.1.0 -DPAYLOAD=build\dist\llamadesk -DOUTFILE=dist\setup.exe
;            -DICON=build\icons\llamadesk.ico -DUNINSTALL_LIST=build\uninstall-files.nsh
;            [-DSIGN_COMMAND="signtool sign ..."] packaging\windows\llamadesk.nsi
; Installs to %LOCALAPPDATA%\Programs\LlamaDesk without administrator rights, adds a
; Start-menu shortcut, an uninstaller registered under HKCU, and opens .llamadesk files
; (LlamaDesk JSON exports) in the window, imported.  The payload holds llamadesk.exe
; (the window, no console) and llamadesk.com (the same program for a terminal: typing
; `llamadesk` there runs the .com first).  UNINSTALL_LIST, written by build.py from the
; payload, deletes exactly the installed files: the uninstaller never empties a folder
; the user chose.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef PAYLOAD
  !error "pass -DPAYLOAD=folder of the frozen app"
!endif
!ifndef UNINSTALL_LIST
  !error "pass -DUNINSTALL_LIST=file of Delete/RMDir lines (packaging/build.py)"
!endif
!ifndef OUTFILE
  !define OUTFILE "LlamaDesk-${VERSION}-setup.exe"
!endif

!define APP "LlamaDesk"
!define EXE "llamadesk.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
!ifdef SIGN_COMMAND
  ; Sign the installer and the uninstaller it writes (NSIS 3.08+).
  !finalize '${SIGN_COMMAND} "%1"' = 0
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
!endif
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "LlamaDesk" Main
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortCut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${EXE}"
  CreateShortCut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\Uninstall.exe"

  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "LlamaDesk developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  ; .llamadesk files (LlamaDesk JSON) open in the window, imported (`llamadesk open`).
  WriteRegStr HKCU "Software\Classes\.llamadesk" "" "LlamaDesk.Conversations"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations" "" "LlamaDesk conversations"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\LlamaDesk.Conversations\shell\open\command" "" \
    '"$INSTDIR\${EXE}" open "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  ; Only what the installer wrote; a folder is removed only once it is empty.
  !include "${UNINSTALL_LIST}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"
  ; .llamadesk only while it still opens with LlamaDesk (another program may own it now).
  ReadRegStr $0 HKCU "Software\Classes\.llamadesk" ""
  StrCmp $0 "LlamaDesk.Conversations" 0 +2
    DeleteRegKey HKCU "Software\Classes\.llamadesk"
  DeleteRegKey HKCU "Software\Classes\LlamaDesk.Conversations"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Chats and settings stay in %LOCALAPPDATA%\LlamaDesk: uninstalling never deletes them.
SectionEnd
